// The digit zeros of the keyboards London's languages type: Arabic-Indic (Arabic), Extended
// Arabic-Indic (Urdu), Devanagari, Bengali, Gurmukhi (Panjabi), Gujarati and Tamil. Each set runs
// from its zero to its nine, in order.
const zeros = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0be6];
const hex = (code: number) => code.toString(16).padStart(4, '0');
const otherDigits = new RegExp(
	`[${zeros.map((zero) => `\\u${hex(zero)}-\\u${hex(zero + 9)}`).join('')}]`,
	'g'
);

/** Digits typed in another script (٣, ৩, ૩…) as the 0–9 that references, codes and phone numbers use. */
export function westernDigits(value: string): string {
	return value.replace(otherDigits, (digit) => {
		const code = digit.charCodeAt(0);
		const zero = zeros.find((z) => code >= z && code <= z + 9) ?? code;
		return String(code - zero);
	});
}
