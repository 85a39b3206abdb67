import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { passphraseStrength } from '$lib/referral/passphrase';

// The passphrase page's meter runs from referral-form.js (ES5, no imports), the server's rule
// from passphrase.ts: what the meter says must be what the server will decide.
const module = { exports: {} as { strength?: (passphrase: string) => number } };
runInNewContext(readFileSync('src/lib/page-scripts/referral-form.js', 'utf8'), { module });
const strength = module.exports.strength!;

describe('the passphrase meter script', () => {
	it.each([
		'',
		'   ',
		'abc',
		'aaaaaaaaaaaaaaa',
		'password123456',
		'my passphrase is long enough now',
		'Tr0ub4dor&3',
		'purple kettle river moon',
		'quiet orange bicycle lamp',
		'short words a b c',
		'ÉTÉ été 2024 !',
		'Żółć gęślą jaźń',
		'كلمة سر طويلة جدا',
		'12345678901234567890',
		'welcome to the house on the hill',
		'x'.repeat(128)
	])('agrees with the server on %j', (passphrase) => {
		expect(strength(passphrase)).toBe(passphraseStrength(passphrase));
	});
});

/** Just enough of a browser page for the script: one passphrase field, its meter, one form. */
function page(typed: string) {
	class HTMLInputElement {
		value = typed;
		listeners: (() => void)[] = [];
		addEventListener(_type: string, listener: () => void) {
			this.listeners.push(listener);
		}
	}
	const field = new HTMLInputElement();
	const attributes: Record<string, string> = {
		'data-strength': '0',
		'data-for': 'passphrase',
		'data-sentences': JSON.stringify(['Very weak', 'Weak', 'Good', 'Strong', 'Very strong'])
	};
	const meter = {
		textContent: '',
		className: 'strength strength--0',
		getAttribute: (name: string) => attributes[name] ?? null,
		setAttribute: (name: string, value: string) => (attributes[name] = value)
	};
	const button = { disabled: false };
	const submits: ((event: { preventDefault: () => void }) => void)[] = [];
	const form = {
		querySelectorAll: () => [button],
		addEventListener: (_type: string, listener: (typeof submits)[number]) => submits.push(listener)
	};
	const shown: (() => void)[] = [];
	const document = {
		readyState: 'interactive',
		querySelector: () => meter,
		getElementById: (id: string) => (id === 'passphrase' ? field : null),
		querySelectorAll: () => [form]
	};
	const window = {
		addEventListener: (_type: string, listener: () => void) => shown.push(listener)
	};
	const timers: (() => void)[] = [];
	runInNewContext(readFileSync('src/lib/page-scripts/referral-form.js', 'utf8'), {
		document,
		window,
		HTMLInputElement,
		setTimeout: (callback: () => void) => timers.push(callback)
	});
	/** Sends the form once, as a press does; true when the browser would send it. */
	const press = () => {
		let sent = true;
		for (const listener of submits) listener({ preventDefault: () => (sent = false) });
		timers.splice(0).forEach((callback) => callback());
		return sent;
	};
	return { field, meter, attributes, button, press, back: () => shown.forEach((f) => f()) };
}

describe('the referral form script on the page', () => {
	it('starts the meter from what was typed before it arrived, and never changes the field', () => {
		const { field, meter, attributes } = page('purple kettle river moon');
		expect(field.value).toBe('purple kettle river moon');
		expect(meter.textContent).toBe('Very strong');
		expect(meter.className).toBe('strength strength--4');
		expect(attributes['data-strength']).toBe('4');
	});

	it('follows the typing and says nothing for an empty field', () => {
		const { field, meter } = page('');
		expect(meter.textContent).toBe('');
		field.value = 'abc';
		field.listeners.forEach((listener) => listener());
		expect(meter.textContent).toBe('Very weak');
		field.value = '';
		field.listeners.forEach((listener) => listener());
		expect(meter.textContent).toBe('');
	});

	it('sends a form once per press, and again after coming back to the page', () => {
		const { button, press, back } = page('');
		expect(press()).toBe(true);
		expect(button.disabled).toBe(true);
		expect(press()).toBe(false);
		back();
		expect(button.disabled).toBe(false);
		expect(press()).toBe(true);
	});
});
