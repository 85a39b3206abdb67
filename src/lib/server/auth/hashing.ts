import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// argon2 runs on hashing threads of our own, never in Node's thread pool. In the pool (four
// threads) hashes ran side by side with each other and with the server's one JavaScript thread:
// on a 2-core machine they took the cores from the pages being served, every hash in a burst
// was slower (argon2 is memory-hard: two at once share the memory bus), and the WAL sync a sent
// message waits for (db/durability.ts) queued behind them. One hashing thread per core but the
// one the server needs keeps the hashes' cost what it is alone and the server's core its own
// (measured in the README's bench notes).

/**
 * Hashing threads: every core but the one the server's own thread needs, at least one, and at
 * most four (Node's thread pool, which hashed before, had four). A container limited to a few
 * cores of a big host may still report the host's count: each thread holds an engine and 19 MiB
 * while it hashes.
 */
export const hashingThreads = Math.min(4, Math.max(1, availableParallelism() - 1));

// The worker is plain CommonJS run from this string, so a bundler has no second entry point to
// find; it loads the same argon2 binding this module resolves (the app's own parameters).
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2);
parentPort.on('message', ({ secret, hashed }) => {
	try {
		const value = hashed === undefined ? argon2.hashSync(secret) : argon2.verifySync(hashed, secret);
		parentPort.postMessage({ value });
	} catch (error) {
		parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
	}
});`;

type Job = {
	secret: string;
	/** Set for a verification; a hash otherwise. */
	hashed?: string;
	resolve: (value: string | boolean) => void;
	reject: (error: Error) => void;
};

const waiting: Job[] = [];
const idle: Worker[] = [];
const working = new Map<Worker, Job>();
let threads = 0;

function startThread(): Worker {
	const worker = new Worker(workerSource, {
		eval: true,
		workerData: { argon2: createRequire(import.meta.url).resolve('@node-rs/argon2') }
	});
	threads++;
	worker.on('message', (answer: { value?: string | boolean; error?: string }) => {
		const job = working.get(worker);
		working.delete(worker);
		// An idle thread must not keep a script (or a test run) from ending.
		worker.unref();
		idle.push(worker);
		if (answer.error !== undefined) job?.reject(new Error(answer.error));
		else job?.resolve(answer.value!);
		next();
	});
	// A thread that dies (out of memory) fails its one job, never the ones queued behind it.
	let gone = false;
	const lost = (error: Error) => {
		if (gone) return;
		gone = true;
		const job = working.get(worker);
		working.delete(worker);
		const at = idle.indexOf(worker);
		if (at >= 0) idle.splice(at, 1);
		threads--;
		job?.reject(error);
		next();
	};
	worker.on('error', lost);
	worker.on('exit', (code) => lost(new Error(`argon2 thread stopped (${code})`)));
	return worker;
}

function next(): void {
	while (waiting.length > 0) {
		const worker = idle.pop() ?? (threads < hashingThreads ? startThread() : undefined);
		if (!worker) return;
		const job = waiting.shift()!;
		working.set(worker, job);
		worker.ref();
		worker.postMessage({ secret: job.secret, hashed: job.hashed });
	}
}

function queue(secret: string, hashed?: string): Promise<string | boolean> {
	return new Promise((resolve, reject) => {
		waiting.push({ secret, hashed, resolve, reject });
		next();
	});
}

/** An argon2id hash of the secret (the library's default parameters), made on a hashing thread. */
export async function argon2Hash(secret: string): Promise<string> {
	return (await queue(secret)) as string;
}

/** True when the secret matches the argon2 hash; throws on a malformed hash. */
export async function argon2Verify(hashed: string, secret: string): Promise<boolean> {
	return (await queue(secret, hashed)) as boolean;
}

/**
 * Makes one hash on a hashing thread, so a server whose argon2 cannot load (a binary for another
 * platform) stops at start-up with this error, not at someone's first sign-in.
 */
export async function checkHashing(): Promise<void> {
	await argon2Hash('start-up check');
}
