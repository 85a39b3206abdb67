// Shared by the server (the rule) and the passphrase page (the live strength meter).

export const passphraseMinLength = 10;
/** argon2 takes any length, but a bound stops a megabyte "passphrase" costing server time. */
export const passphraseMaxLength = 128;

const common = [
	'password',
	'passphrase',
	'qwerty',
	'123456',
	'letmein',
	'iloveyou',
	'welcome',
	'onedoor'
];

/** How strong a passphrase is, 0 (very weak) to 4 (very strong), explained by length and variety. */
export function passphraseStrength(passphrase: string): 0 | 1 | 2 | 3 | 4 {
	const text = passphrase.trim();
	if (text.length === 0) return 0;
	const lower = text.toLowerCase();
	if (common.some((word) => lower.includes(word)) && text.length < 20) return 0;
	if (/^(.)\1*$/u.test(text)) return 0;
	let score = 0;
	if (text.length >= passphraseMinLength) score++;
	if (text.length >= 14) score++;
	if (text.length >= 20) score++;
	const words = text.split(/\s+/).filter((w) => w.length >= 3).length;
	const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}\s]/u].filter((r) => r.test(text));
	if (words >= 3 || classes.length >= 3) score++;
	return Math.min(score, 4) as 0 | 1 | 2 | 3 | 4;
}

/** The weakest strength we accept. */
export const passphraseMinStrength = 2;
