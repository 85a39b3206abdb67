/** A message as the updates endpoints send it (dates as ISO text). */
type Sent<T> = Omit<T, 'at'> & { at: string };

/**
 * One open conversation, on either side: the messages the server rendered, plus those that
 * arrive while the page is open. Both the person's `/my/messages` and the console's Messages tab
 * use it, each with its own updates endpoint.
 *
 * `start()` asks `endpoint` every few seconds, while the page is visible and shows the latest
 * messages, for messages newer than the last one shown; once they are on screen it tells the endpoint they were read, by POST (the
 * GET only reads). A reload starts again from the server's list.
 */
export class LiveConversation<T extends { id: string; at: Date; cursor: string }> {
	#arrived = $state<T[]>([]);
	#rendered: () => T[];
	#endpoint: () => string;
	#latest: () => boolean;

	/** What to show: the rendered messages, then any that arrived and are not among them. */
	readonly shown = $derived.by(() => {
		const rendered = this.#rendered();
		return [...rendered, ...this.#arrived.filter((m) => !rendered.some((r) => r.id === m.id))];
	});

	/**
	 * `latest` says whether the page shows the latest messages: a page of earlier ones is not
	 * followed, so nothing new lands in the middle of the conversation.
	 */
	constructor(rendered: () => T[], endpoint: () => string, latest: () => boolean) {
		this.#rendered = rendered;
		this.#endpoint = endpoint;
		this.#latest = latest;
		// New server data (after sending, or navigating) replaces what polling brought.
		$effect.pre(() => {
			void this.#rendered();
			this.#arrived = [];
		});
	}

	/** Starts polling; returns the function that stops it (hand it to `onMount`). */
	start(everyMs = 5_000): () => void {
		const timer = setInterval(() => void this.#poll(), everyMs);
		return () => clearInterval(timer);
	}

	async #poll(): Promise<void> {
		if (document.hidden || !this.#latest()) return;
		const endpoint = this.#endpoint();
		try {
			// Only what is newer than the last message shown (`0`: the conversation is empty).
			const after = encodeURIComponent(this.shown.at(-1)?.cursor ?? '0');
			const response = await fetch(`${endpoint}?after=${after}`, {
				headers: { accept: 'application/json' },
				redirect: 'error'
			});
			if (!response.ok) return;
			const body = (await response.json()) as { messages: Sent<T>[] };
			if (body.messages.length === 0) return;
			const fresh = body.messages.map(
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a date read once, never changed
				(m) => ({ ...m, at: new Date(m.at) }) as unknown as T
			);
			this.#arrived = [...this.#arrived, ...fresh];
			// Read up to the newest now on screen: one that arrives meanwhile stays unread.
			const upTo = encodeURIComponent(fresh.at(-1)!.cursor);
			await fetch(`${endpoint}?upTo=${upTo}`, {
				method: 'POST',
				headers: { accept: 'application/json' },
				redirect: 'error'
			});
		} catch {
			// Offline or signed out: try again next time.
		}
	}
}
