/** A message as the updates endpoints send it (dates as ISO text). */
interface Sent {
	id: string;
	at: string;
}

/**
 * Asks `endpoint` every few seconds, while the page is visible, for messages newer than the last
 * one shown, and hands them over with real dates. Once they are on screen it tells the endpoint
 * they were read, by POST: the GET only reads. Returns the function that stops it.
 */
export function pollMessages<T extends { id: string; at: Date }>(
	endpoint: string,
	last: () => Date,
	arrived: (messages: T[]) => void,
	everyMs = 5_000
): () => void {
	const poll = async () => {
		if (document.hidden) return;
		try {
			const after = encodeURIComponent(last().toISOString());
			const response = await fetch(`${endpoint}?after=${after}`, {
				headers: { accept: 'application/json' },
				redirect: 'error'
			});
			if (!response.ok) return;
			const body = (await response.json()) as { messages: (Sent & Omit<T, 'at'>)[] };
			if (body.messages.length > 0) {
				arrived(body.messages.map((m) => ({ ...m, at: new Date(m.at) }) as unknown as T));
				await fetch(endpoint, {
					method: 'POST',
					headers: { accept: 'application/json' },
					redirect: 'error'
				});
			}
		} catch {
			// Offline or signed out: try again next time.
		}
	};
	const timer = setInterval(() => void poll(), everyMs);
	return () => clearInterval(timer);
}
