// The referral steps' enhancements, for pages the framework does not hydrate. ES5 on purpose,
// like quick-exit.js: old phones must parse it. Loaded only by the pages that use it (the
// passphrase step and the check page); every step is a plain form and works without it.
//
// It never writes into a field: whatever a person typed before it arrived stays as typed, and
// the meter starts from what is already in the passphrase field. The words it shows come from
// the page (`data-sentences`, already in the page's language), never from the script.
(function () {
	'use strict';

	// The rule of src/lib/referral/passphrase.ts `passphraseStrength`, which the server applies;
	// referral-form.test.ts checks the two agree. The meter only explains, the server decides.
	var minLength = 10;
	var common = [
		'password',
		'passphrase',
		'qwerty',
		'123456',
		'letmein',
		'iloveyou',
		'welcome',
		'onedoor'
	];

	/**
	 * A Unicode-aware pattern where the browser has them, else the nearest ASCII one.
	 * @param {string} source
	 * @param {RegExp} fallback
	 * @returns {RegExp}
	 */
	function unicode(source, fallback) {
		try {
			return new RegExp(source, 'u');
			// ES5 needs the catch's binding even though it is not used.
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
		} catch (ignored) {
			return fallback;
		}
	}
	var repeated = unicode('^(.)\\1*$', /^([\s\S])\1*$/);
	var classes = [
		unicode('\\p{Ll}', /[a-z]/),
		unicode('\\p{Lu}', /[A-Z]/),
		unicode('\\p{N}', /[0-9]/),
		unicode('[^\\p{L}\\p{N}\\s]', /[^A-Za-z0-9\s]/)
	];

	/**
	 * How strong a passphrase is, 0 (very weak) to 4 (very strong).
	 * @param {string} passphrase
	 * @returns {number}
	 */
	function strength(passphrase) {
		var text = passphrase.trim();
		if (text.length === 0) return 0;
		var lower = text.toLowerCase();
		var isCommon = common.some(function (word) {
			return lower.indexOf(word) !== -1;
		});
		if (isCommon && text.length < 20) return 0;
		if (repeated.test(text)) return 0;
		var score = 0;
		if (text.length >= minLength) score++;
		if (text.length >= 14) score++;
		if (text.length >= 20) score++;
		var words = text.split(/\s+/).filter(function (word) {
			return word.length >= 3;
		}).length;
		var kinds = classes.filter(function (pattern) {
			return pattern.test(text);
		}).length;
		if (words >= 3 || kinds >= 3) score++;
		return Math.min(score, 4);
	}

	if (typeof module === 'object' && module.exports) module.exports = { strength: strength };
	if (typeof document === 'undefined') return;

	/** The live strength meter under the passphrase field (`[data-strength]`, aria-live). */
	function meter() {
		/** @type {HTMLElement | null} */
		var found = document.querySelector('[data-strength][data-for]');
		if (!found) return;
		var output = found;
		var field = document.getElementById(output.getAttribute('data-for') || '');
		/** @type {string[]} */
		var sentences;
		try {
			sentences = JSON.parse(output.getAttribute('data-sentences') || '[]');
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
		} catch (ignored) {
			return;
		}
		if (!(field instanceof HTMLInputElement)) return;
		var input = field;
		function show() {
			var level = strength(input.value);
			var sentence = input.value ? sentences[level] || '' : '';
			if (output.textContent !== sentence) output.textContent = sentence;
			output.className = 'strength strength--' + level;
			output.setAttribute('data-strength', String(level));
		}
		input.addEventListener('input', show);
		// Typed before this script arrived: the meter starts from it.
		show();
	}

	/** A form marked `data-submit-once` sends once per press: a second press while it is sending does nothing. */
	function submitOnce() {
		var forms = document.querySelectorAll('form[data-submit-once]');
		for (var i = 0; i < forms.length; i++) guard(/** @type {HTMLFormElement} */ (forms[i]));
	}

	/** @param {HTMLFormElement} form */
	function guard(form) {
		var sending = false;
		var buttons = form.querySelectorAll('button[type="submit"]');
		/** @param {boolean} disabled */
		function setDisabled(disabled) {
			for (var i = 0; i < buttons.length; i++) {
				/** @type {HTMLButtonElement} */ (buttons[i]).disabled = disabled;
			}
		}
		form.addEventListener('submit', function (event) {
			if (sending) {
				event.preventDefault();
				return;
			}
			sending = true;
			// After this turn: a button disabled now would drop out of what the form sends.
			setTimeout(function () {
				setDisabled(true);
			}, 0);
		});
		// Back from the next page (the browser's page cache): the form can be sent again.
		window.addEventListener('pageshow', function () {
			sending = false;
			setDisabled(false);
		});
	}

	function start() {
		meter();
		submitOnce();
	}
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();
