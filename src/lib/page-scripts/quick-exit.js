// Quick exit, after GOV.UK's "Exit this page". Runs on every page, hydrated or not; without
// JavaScript the button is still a plain link to /quick-exit, which wipes the visit and redirects.
// ES5 on purpose: one syntax error (an arrow, a catch without its binding) and old phones lose
// the quick exit altogether.
(function () {
	'use strict';
	var SHIFT_WINDOW_MS = 5000;
	var presses = 0;
	var timer = 0;

	/** @returns {HTMLAnchorElement | null} */
	function button() {
		return document.querySelector('a[data-quick-exit]');
	}

	/** @param {string | null} text */
	function announce(text) {
		var status = document.querySelector('[data-quick-exit-status]');
		if (status) status.textContent = text || '';
	}

	// Runs one step of leaving; a step that throws (storage blocked, an old browser) must never
	// stop the exit itself. ES5 needs the catch's binding even though it is not used.
	/** @param {() => unknown} step */
	function attempt(step) {
		try {
			return step();
			// eslint-disable-next-line @typescript-eslint/no-unused-vars
		} catch (ignored) {
			return false;
		}
	}

	// Every other tab of the site leaves too: a second tab left open would still show the site.
	// The channel's name says nothing of the service (nor do the caches'), and a tab the message
	// reaches leaves without telling the server again: the first tab's beacon did that.
	var CHANNEL = 'leave';

	/** @param {HTMLAnchorElement} link */
	function hide(link) {
		// Hide the page at once, before anything else can be seen.
		document.documentElement.classList.add('quick-exiting');
		announce(link.getAttribute('data-status-exiting'));
		attempt(function () {
			window.sessionStorage.clear();
		});
	}

	attempt(function () {
		if (!window.BroadcastChannel) return;
		new window.BroadcastChannel(CHANNEL).onmessage = function () {
			var link = button();
			if (!link) return;
			hide(link);
			window.location.replace(link.getAttribute('data-neutral') || link.href);
		};
	});

	/** @param {Event} [event] */
	function exit(event) {
		var link = button();
		if (!link) return;
		var href = link.href;
		if (event) event.preventDefault();
		hide(link);
		attempt(function () {
			if (window.BroadcastChannel) new window.BroadcastChannel(CHANNEL).postMessage('leave');
		});
		// Forget what the offline app kept, too (Clear-Site-Data on a beacon may not be honoured).
		attempt(function () {
			if (!window.caches) return;
			window.caches.keys().then(function (keys) {
				keys.forEach(function (key) {
					window.caches.delete(key);
				});
			});
		});
		// And the worker that kept them: a registered worker is listed in the browser's settings.
		attempt(function () {
			if (!navigator.serviceWorker || !navigator.serviceWorker.getRegistrations) return;
			navigator.serviceWorker.getRegistrations().then(function (registrations) {
				registrations.forEach(function (registration) {
					registration.unregister();
				});
			});
		});
		// The beacon ends the session and deletes the referral draft on the server, which answers
		// with Clear-Site-Data; it outlives the page, so leaving need not wait for it. If it cannot
		// go (a browser with no beacon has no keepalive fetch either), the link's own route, which
		// wipes the visit and then redirects, is the way out.
		var sent = attempt(function () {
			return Boolean(navigator.sendBeacon && navigator.sendBeacon(href));
		});
		var neutral = link.getAttribute('data-neutral');
		// replace(), not assign(): Back must not return to the page that was left.
		window.location.replace(sent && neutral ? neutral : href);
	}

	function reset() {
		presses = 0;
		window.clearTimeout(timer);
	}

	// Capture phase: the exit runs before SvelteKit's router or anything else sees the click.
	document.addEventListener(
		'click',
		function (event) {
			var target = /** @type {Element | null} */ (event.target);
			if (target && target.closest && target.closest('[data-quick-exit]')) exit(event);
		},
		true
	);

	// It is announced as a button, and a button is pressed with Space as well as Enter; a link
	// takes only Enter, and Space would scroll the page instead of leaving it.
	/** @param {KeyboardEvent} event */
	function isSpace(event) {
		return event.key === ' ' || event.key === 'Spacebar' || event.keyCode === 32;
	}

	// Count Shift on release, so Shift+letter (typing a capital) never counts; any other key resets.
	document.addEventListener('keydown', function (event) {
		var target = /** @type {Element | null} */ (event.target);
		if (isSpace(event) && target && target.closest && target.closest('[data-quick-exit]')) {
			exit(event);
			return;
		}
		if (event.key !== 'Shift') reset();
	});
	document.addEventListener('keyup', function (event) {
		if (event.key !== 'Shift') return;
		var link = button();
		if (!link) return;
		presses += 1;
		window.clearTimeout(timer);
		if (presses >= 3) {
			reset();
			exit();
			return;
		}
		var expired = link.getAttribute('data-status-expired');
		announce(link.getAttribute('data-status-' + (3 - presses)));
		timer = window.setTimeout(function () {
			reset();
			announce(expired);
		}, SHIFT_WINDOW_MS);
	});
})();
