// Runs on every page, hydrated or not. ES5 on purpose, like quick-exit.js: old phones must parse it.
(function () {
	'use strict';
	// The error summary takes focus on pages that are not hydrated (WCAG 3.3.1, GOV.UK pattern).
	document.addEventListener('DOMContentLoaded', function () {
		/** @type {HTMLElement | null} */
		var summary = document.querySelector('[data-error-summary]');
		if (summary && document.activeElement === document.body) summary.focus();
	});
})();
