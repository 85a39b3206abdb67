import { customType } from 'drizzle-orm/sqlite-core';
// Relative, not `$lib`: drizzle-kit loads the schema (and so this file) without SvelteKit's aliases.
import { cipher } from '../crypto';

/**
 * A TEXT column holding a JSON value sealed with the data key (AES-256-GCM, DESIGN rule 5):
 * written as `seal(JSON.stringify(value))`, read back opened and parsed, so code only ever sees
 * `T`. The stored text is one whole sealed value, the shape `npm run rekey` re-seals.
 */
export function sealedJson<T>(name: string) {
	return customType<{ data: T; driverData: string }>({
		dataType: () => 'text',
		toDriver: (value) => cipher().encrypt(JSON.stringify(value)),
		fromDriver: (sealed) => {
			try {
				return JSON.parse(cipher().decrypt(sealed)) as T;
			} catch (error) {
				throw new Error(`Cannot open the sealed JSON in column "${name}": ${String(error)}`, {
					cause: error
				});
			}
		}
	})(name);
}
