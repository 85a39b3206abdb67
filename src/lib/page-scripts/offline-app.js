// Runs on every page but the staff console. ES5 on purpose, like quick-exit.js.
(function () {
	'use strict';
	// The installable app: SvelteKit's service worker keeps public pages for use offline. Registered
	// here because most pages ship no framework script; the staff console does not use it.
	if ('serviceWorker' in navigator && window.location.pathname.indexOf('/staff') !== 0) {
		window.addEventListener('load', function () {
			navigator.serviceWorker.register('/service-worker.js').catch(function () {
				/* the site works without it */
			});
		});
	}
})();
