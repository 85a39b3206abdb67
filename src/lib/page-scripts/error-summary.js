// Runs on every page, hydrated or not. ES5 on purpose, like quick-exit.js: old phones must parse it.
(function () {
	'use strict';
	// The error summary takes focus on pages that are not hydrated (WCAG 3.3.1, GOV.UK pattern).
	document.addEventListener('DOMContentLoaded', function () {
		/** @type {HTMLElement | null} */
		var summary = document.querySelector('[data-error-summary]');
		if (summary && document.activeElement === document.body) summary.focus();
	});

	// The question a field answers: a group's legend (always, for radios and checkboxes; for other
	// fields when the legend would still be in the top half of the screen), else its label.
	/** @param {HTMLElement} field */
	function questionOf(field) {
		var fieldset = field.closest('fieldset');
		var legend = fieldset ? fieldset.getElementsByTagName('legend')[0] : undefined;
		if (legend) {
			var type = field.getAttribute('type');
			if (type === 'radio' || type === 'checkbox') return legend;
			var top = legend.getBoundingClientRect().top;
			if (field.getBoundingClientRect().bottom - top < window.innerHeight / 2) return legend;
		}
		var id = field.getAttribute('id');
		return (id && document.querySelector('label[for="' + id + '"]')) || field.closest('label');
	}

	// A link in the summary puts its field's question in view and the field in focus (GOV.UK's
	// pattern): followed as a plain link, the field went to the top of the screen, under the
	// sticky quick-exit bar, with its question scrolled out of sight above it. Capture phase,
	// before SvelteKit's router sees the click on a hydrated page.
	document.addEventListener(
		'click',
		function (event) {
			var target = /** @type {Element | null} */ (event.target);
			var link = target && target.closest ? target.closest('[data-error-summary] a') : null;
			var href = link ? link.getAttribute('href') || '' : '';
			if (href.charAt(0) !== '#') return;
			var field = document.getElementById(href.slice(1));
			var question = field ? questionOf(field) : null;
			if (!field || !question) return;
			event.preventDefault();
			question.scrollIntoView();
			field.focus({ preventScroll: true });
		},
		true
	);
})();
