// The backup file's format, in plain JavaScript for the scripts (see backup.js):
//   "ONEDOOR-BACKUP\n", then one line of JSON naming the format, the data key's id, a salt, a key
//   check value and the time it was made, then chunks of at most 1 MiB, each
//   [4-byte length][AES-256-GCM ciphertext][16-byte tag].
// The file's key is derived (HKDF) from the data key named in the header and the file's own salt.
// Each chunk's nonce is its number and its tag covers the header and whether it is the last
// chunk, so a chunk altered, moved, dropped or cut off, or a header changed, fails to open.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** @typedef {import('../crypto/cipher.js').Cipher} Cipher */
/** @typedef {{ format: 1, cipher: 'aes-256-gcm', keyId: string, salt: string, check: string, chunkSize: number, createdAt: string }} Header */

/** A backup or restore refused, told in one sentence; nothing was replaced. */
export class BackupError extends Error {
	name = 'BackupError';
}

/** How a backup file starts. */
export const magic = Buffer.from('ONEDOOR-BACKUP\n');
/** How a plain SQLite database file starts (a file system copy, which restore also takes). */
export const sqliteMagic = Buffer.from('SQLite format 3\0');
/** How much of the database one encrypted chunk holds. */
export const defaultChunkSize = 1024 * 1024;
const tagLength = 16;

/** @param {string} keyId @param {string} salt */
const purpose = (keyId, salt) => `backup file ${keyId} ${salt}`;

/**
 * A value that shows, before any chunk is opened, whether the configured key is the one the file
 * was made with, so a wrong key and a damaged file are told apart. It reveals nothing of the key.
 * @param {Buffer} key
 */
const keyCheck = (key) =>
	createHmac('sha256', key).update('onedoor backup key check').digest().subarray(0, 16);

/** @param {number} index */
function nonce(index) {
	const iv = Buffer.alloc(12);
	iv.writeUInt32BE(Math.floor(index / 2 ** 32), 4);
	iv.writeUInt32BE(index % 2 ** 32, 8);
	return iv;
}

/** @param {Buffer} header @param {boolean} last */
const aad = (header, last) => Buffer.concat([header, Buffer.from([last ? 1 : 0])]);

/** Syncs a file or a directory (so a rename in it survives a power cut as the contents do). */
export function syncPath(/** @type {string} */ path) {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/**
 * A UTC time as it appears in file names: 2026-12-01T08-37-20Z (no colons, which some file
 * systems refuse).
 * @param {Date} date
 */
export function fileTime(date) {
	return date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replaceAll(':', '-');
}

/**
 * Encrypts the plain SQLite file `plain` into `file` (written as `file.partial`, synced, then
 * renamed, so a half-written backup never carries the final name).
 * @param {string} plain
 * @param {string} file
 * @param {Cipher} cipher
 * @param {Date} now
 * @param {number} chunkSize
 */
export async function encryptFile(plain, file, cipher, now, chunkSize) {
	const salt = randomBytes(16).toString('base64url');
	const key = cipher.derive(purpose(cipher.keyId, salt));
	/** @type {Header} */
	const fields = {
		format: 1,
		cipher: 'aes-256-gcm',
		keyId: cipher.keyId,
		salt,
		check: keyCheck(key).toString('base64url'),
		chunkSize,
		createdAt: now.toISOString()
	};
	const header = Buffer.concat([magic, Buffer.from(JSON.stringify(fields) + '\n')]);
	const size = statSync(plain).size;
	const chunks = Math.max(1, Math.ceil(size / chunkSize));
	const partial = `${file}.partial`;
	const source = await open(plain, 'r');
	const target = await open(partial, 'w', 0o600);
	try {
		await target.write(header);
		const buffer = Buffer.alloc(chunkSize);
		for (let index = 0; index < chunks; index++) {
			const { bytesRead } = await source.read(buffer, 0, chunkSize, index * chunkSize);
			const encrypt = createCipheriv('aes-256-gcm', key, nonce(index));
			encrypt.setAAD(aad(header, index === chunks - 1));
			const body = Buffer.concat([encrypt.update(buffer.subarray(0, bytesRead)), encrypt.final()]);
			const length = Buffer.alloc(4);
			length.writeUInt32BE(body.length);
			await target.write(Buffer.concat([length, body, encrypt.getAuthTag()]));
		}
		await target.sync();
	} catch (error) {
		await target.close();
		await rm(partial, { force: true });
		throw error;
	} finally {
		await source.close();
	}
	await target.close();
	await rename(partial, file);
	syncPath(dirname(resolve(file)));
	return { header: fields, bytes: statSync(file).size };
}

/**
 * Reads and checks a backup's header.
 * @param {import('node:fs/promises').FileHandle} handle
 * @returns {Promise<{ header: Header, bytes: Buffer }>}
 */
async function readHeader(handle) {
	const start = Buffer.alloc(1024);
	const { bytesRead } = await handle.read(start, 0, start.length, 0);
	const end = start.indexOf(10, magic.length);
	const unreadable = new BackupError(
		'The backup file is damaged: its header cannot be read (it was cut short or altered).'
	);
	if (end < 0 || end >= bytesRead) throw unreadable;
	/** @type {Header} */
	let header;
	try {
		header = JSON.parse(start.subarray(magic.length, end).toString('utf8'));
	} catch {
		throw unreadable;
	}
	if (header.format !== 1 || header.cipher !== 'aes-256-gcm') {
		throw new BackupError(
			'The backup file is in a format this version of OneDoor does not know: restore it with the version that made it.'
		);
	}
	if (
		typeof header.keyId !== 'string' ||
		typeof header.salt !== 'string' ||
		typeof header.check !== 'string' ||
		!Number.isInteger(header.chunkSize) ||
		header.chunkSize < 1 ||
		header.chunkSize > 16 * defaultChunkSize
	) {
		throw unreadable;
	}
	return { header, bytes: start.subarray(0, end + 1) };
}

/**
 * Decrypts the backup `file` into the plain SQLite file `plain`, refusing on a key that is not
 * configured, a wrong key, or any altered, missing or extra byte.
 * @param {string} file
 * @param {string} plain
 * @param {Cipher} cipher
 * @returns {Promise<Header>}
 */
export async function decryptFile(file, plain, cipher) {
	const source = await open(file, 'r');
	const target = await open(plain, 'w', 0o600);
	try {
		const { header, bytes } = await readHeader(source);
		if (!cipher.keyIds.includes(header.keyId)) {
			throw new BackupError(
				`The backup is encrypted with data key "${header.keyId}", which is neither DATA_KEY nor in DATA_KEYS_OLD: add that key to DATA_KEYS_OLD and try again.`
			);
		}
		const key = cipher.derive(purpose(header.keyId, header.salt), header.keyId);
		const check = Buffer.from(header.check, 'base64url');
		if (check.length !== 16 || !timingSafeEqual(check, keyCheck(key))) {
			throw new BackupError(
				`The backup cannot be opened with the data key configured as "${header.keyId}": it is a different key under the same id (or the file's header was altered).`
			);
		}
		const size = (await source.stat()).size;
		let position = bytes.length;
		const length = Buffer.alloc(4);
		for (let index = 0; ; index++) {
			if ((await source.read(length, 0, 4, position)).bytesRead < 4) {
				throw new BackupError(
					'The backup file is incomplete: it ends before its last part (it was cut short while copying or writing).'
				);
			}
			const bodyLength = length.readUInt32BE();
			if (bodyLength > header.chunkSize) {
				throw new BackupError('The backup file is damaged or altered: it cannot be restored.');
			}
			const sealed = Buffer.alloc(bodyLength + tagLength);
			const { bytesRead } = await source.read(sealed, 0, sealed.length, position + 4);
			if (bytesRead < sealed.length) {
				throw new BackupError(
					'The backup file is incomplete: it ends before its last part (it was cut short while copying or writing).'
				);
			}
			position += 4 + sealed.length;
			const last = position === size;
			const decrypt = createDecipheriv('aes-256-gcm', key, nonce(index));
			decrypt.setAAD(aad(bytes, last));
			decrypt.setAuthTag(sealed.subarray(bodyLength));
			let body;
			try {
				body = Buffer.concat([decrypt.update(sealed.subarray(0, bodyLength)), decrypt.final()]);
			} catch {
				throw new BackupError(
					last
						? 'The backup file is damaged or altered, or was cut short: it cannot be restored.'
						: 'The backup file is damaged or altered: it cannot be restored.'
				);
			}
			await target.write(body);
			if (last) break;
		}
		await target.sync();
		return header;
	} finally {
		await source.close();
		await target.close();
	}
}
