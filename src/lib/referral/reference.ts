import { westernDigits } from '$lib/digits';

/**
 * Case references are read out over the phone, so the alphabet leaves out characters that look
 * or sound alike (0/O, 1/I/L, 2/Z, 5/S, 8/B, V/B). Its size is even because Luhn mod N only
 * catches every single-character error when doubling is a permutation, which needs an even N.
 */
export const referenceAlphabet = 'ACDEFGHJKMNPQRTUWXY34679';

const N = referenceAlphabet.length;
const bodyLength = 7;

/** The Luhn mod N check character: it catches every single mistyped character. */
export function checkCharacter(body: string): string {
	let sum = 0;
	let factor = 2;
	for (let i = body.length - 1; i >= 0; i--) {
		const code = referenceAlphabet.indexOf(body[i]!);
		if (code < 0) throw new Error(`"${body[i]}" is not a reference character`);
		let addend = factor * code;
		addend = Math.floor(addend / N) + (addend % N);
		sum += addend;
		factor = factor === 2 ? 1 : 2;
	}
	return referenceAlphabet[(N - (sum % N)) % N]!;
}

/** A new random reference, written `XXXX-XXXX` with the check character last. */
export function newReference(): string {
	let body = '';
	while (body.length < bodyLength) {
		// Rejection sampling keeps every character equally likely (256 is not a multiple of N).
		const [byte] = crypto.getRandomValues(new Uint8Array(1));
		if (byte! < 256 - (256 % N)) body += referenceAlphabet[byte! % N];
	}
	return format(body + checkCharacter(body));
}

function format(compact: string): string {
	return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/**
 * The reference as stored, from whatever a person typed (spaces, lower case, no dash, digits
 * from an Arabic, Urdu or Indian keyboard), or
 * undefined when it is not a valid reference: wrong length, a stray character, a failed check.
 */
export function parseReference(typed: string): string | undefined {
	const compact = westernDigits(typed).toUpperCase().replace(/[\s-]/g, '');
	if (compact.length !== bodyLength + 1) return undefined;
	if ([...compact].some((c) => !referenceAlphabet.includes(c))) return undefined;
	const body = compact.slice(0, bodyLength);
	return checkCharacter(body) === compact[bodyLength] ? format(compact) : undefined;
}
