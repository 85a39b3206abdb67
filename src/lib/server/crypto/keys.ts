import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createCipher, DataKeyError, parseDataKey, type Cipher } from './index';

type Env = Record<string, string | undefined>;

/**
 * The cipher for this server: DATA_KEY (and DATA_KEYS_OLD) from the environment. In production a
 * missing key stops start-up; elsewhere a local key is made beside the database and announced.
 */
export function loadCipher(env: Env, databasePath: string, production: boolean): Cipher {
	let text = env.DATA_KEY?.trim();
	if (!text) {
		if (production) {
			throw new DataKeyError(
				'DATA_KEY is not set: in production the server needs it to protect what people tell us.'
			);
		}
		const file = join(dirname(databasePath), 'demo-data-key');
		if (!existsSync(file)) {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, `demo:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
			console.log(
				`Generated a local data key in ${file} for this demo; never use it for real data.`
			);
		}
		text = readFileSync(file, 'utf8').trim();
	}
	const retired = (env.DATA_KEYS_OLD ?? '')
		.split(',')
		.filter((k) => k.trim())
		.map((k) => parseDataKey(k, 'DATA_KEYS_OLD'));
	return createCipher(parseDataKey(text), retired);
}
