// What the bench does over HTTP: visitors with their own cookies, page weight, server time one
// request at a time, whether a page comes compressed, load with autocannon, and a bare Node
// server that returns a page's bytes for comparison.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';

/**
 * A visitor's fetch: keeps its own cookies, follows no redirects, sends what a browser sends.
 * @typedef {(path: string, init?: RequestInit & { headers?: Record<string, string> }) => Promise<Response>} Visitor
 */

/**
 * A new visitor of `origin`, with an empty cookie jar.
 * @param {string} origin
 * @returns {Visitor & { cookie: () => string }}
 */
export function visitor(origin) {
	/** @type {Map<string, string>} */
	const jar = new Map();
	const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	/** @type {Visitor} */
	const go = async (path, init = {}) => {
		const response = await fetch(new URL(path, origin), {
			...init,
			redirect: 'manual',
			headers: {
				accept: 'text/html',
				'sec-fetch-site': 'same-origin',
				...(init.headers ?? {}),
				cookie: cookie()
			}
		});
		for (const line of response.headers.getSetCookie()) absorb(jar, line);
		return response;
	};
	return Object.assign(go, { cookie });
}

/**
 * Keeps (or, when it expires, forgets) one `set-cookie` line.
 * @param {Map<string, string>} jar
 * @param {string} line
 */
function absorb(jar, line) {
	const [pair = ''] = line.split(';');
	const [name = '', ...value] = pair.split('=');
	if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name.trim());
	else jar.set(name.trim(), value.join('='));
}

/**
 * A form post, as a browser sends it; arrays become repeated fields.
 * @param {Record<string, string | string[]>} fields
 */
export function form(fields) {
	const body = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of [value].flat()) body.append(name, item);
	}
	return {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/x-www-form-urlencoded' }
	};
}

/**
 * The CSS and JavaScript a page loads as it opens (gzip), and its HTML (gzip): the stylesheets,
 * scripts and module imports named in the HTML and preloaded by its `Link` header (where
 * SvelteKit names a hydrating page's modules), with every module they import statically.
 * @param {string} origin
 * @param {string} path
 * @param {string} html
 * @param {string} link the response's `Link` header
 */
export async function weight(origin, path, html, link) {
	const base = new URL(path, origin);
	const tags = [...html.matchAll(/<(?:link|script)\b[^>]*>/g)].map((m) => m[0]);
	const href = (/** @type {string} */ tag) => /(?:href|src)="([^"]+)"/.exec(tag)?.[1] ?? '';
	const linked = [...link.matchAll(/<([^>]+)>;([^,]*)/g)].map((m) => ({
		url: m[1] ?? '',
		rel: m[2] ?? ''
	}));
	const css = new Set(
		[
			...tags.filter((tag) => /rel="stylesheet"/.test(tag)).map(href),
			...linked.filter((l) => /as="style"/.test(l.rel)).map((l) => l.url)
		].map((url) => new URL(url, base).href)
	);
	const js = new Set(
		[
			...tags.filter((tag) => /^<script/.test(tag) || /rel="modulepreload"/.test(tag)).map(href),
			...[...html.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1] ?? ''),
			...linked.filter((l) => /modulepreload|as="script"/.test(l.rel)).map((l) => l.url)
		]
			.filter(Boolean)
			.map((url) => new URL(url, base).href)
	);
	let cssBytes = 0;
	for (const url of css) cssBytes += gzipSync(await (await fetch(url)).text()).length;
	let jsBytes = 0;
	const queue = [...js];
	for (let url = queue.shift(); url; url = queue.shift()) {
		const code = await (await fetch(url)).text();
		jsBytes += gzipSync(code).length;
		// Static imports only (`import"./x.js"`, `import{a}from"./x.js"`): what loads at once.
		for (const [, imported = ''] of code.matchAll(
			/\b(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+\.js)["']/g
		)) {
			const next = new URL(imported, url).href;
			if (!js.has(next)) {
				js.add(next);
				queue.push(next);
			}
		}
	}
	const inlineCss = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
	const inlineJs = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
		(m) => m[1]
	);
	const inline = (/** @type {(string | undefined)[]} */ parts) =>
		parts.join('') ? gzipSync(parts.join('')).length : 0;
	return {
		css: cssBytes + inline(inlineCss),
		js: jsBytes + inline(inlineJs),
		html: gzipSync(html).length
	};
}

/**
 * Server time of a page, one request at a time: the median and 95th percentile of up to `samples`
 * requests (at least 3, and no more after `seconds`), and the page's HTML size (gzip).
 * @param {Visitor} go
 * @param {string} path
 * @param {{ samples: number, seconds: number }} limits
 */
export async function serverTime(go, path, { samples, seconds }) {
	/** @type {number[]} */
	const ms = [];
	let html = '';
	const until = performance.now() + seconds * 1000;
	while (ms.length < samples && (ms.length < 3 || performance.now() < until)) {
		const start = performance.now();
		const response = await go(path);
		html = await response.text();
		ms.push(performance.now() - start);
		if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
	}
	ms.sort((a, b) => a - b);
	const at = (/** @type {number} */ q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
	return {
		median: /** @type {number} */ (at(0.5)),
		p95: /** @type {number} */ (at(0.95)),
		samples: ms.length,
		htmlGzip: gzipSync(html).length
	};
}

/**
 * The `content-encoding` a page comes with when the browser accepts gzip and brotli ('' if none).
 * @param {string} origin
 * @param {string} path
 * @param {string} cookie
 * @returns {Promise<string>}
 */
export function encodingOf(origin, path, cookie = '') {
	return new Promise((resolve, reject) => {
		const ask = request(
			new URL(path, origin),
			{ headers: { accept: 'text/html', 'accept-encoding': 'gzip, br', cookie } },
			(response) => {
				response.resume();
				response.on('end', () => resolve(String(response.headers['content-encoding'] ?? '')));
			}
		);
		ask.on('error', reject);
		ask.end();
	});
}

/**
 * Requests per second (mean) and latency (p99, ms) of GETs to `url` from `connections` clients,
 * after a warm-up; throws if any answer was not a 2xx. With `cpu` (as for `referralLoad`) it also
 * answers the server's main-thread time per request, in ms (`main`).
 * @param {string} url
 * @param {{ connections: number, seconds: number, warmup: number, headers?: Record<string, string>, cpu?: () => ({ main: number, all: number } | undefined) }} options
 */
export async function load(url, { connections, seconds, warmup, headers = {}, cpu }) {
	const run = (/** @type {number} */ duration) =>
		autocannon({ url, connections, duration, headers: { accept: 'text/html', ...headers } });
	if (warmup > 0) await run(warmup);
	const before = cpu?.();
	const result = await run(seconds);
	const after = cpu?.();
	const failed = result.non2xx + result.errors + result.timeouts;
	if (failed > 0) throw new Error(`${url}: ${failed} of ${result.requests.total} requests failed`);
	const main =
		before && after && result.requests.total > 0
			? (after.main - before.main) / result.requests.total
			: undefined;
	return { rate: result.requests.average, p99: result.latency.p99, main };
}

/**
 * Requests per second (and the worst round's p99, ms) of GETs to each URL, measured in turns:
 * `rounds` short loads of each, one after the other, after a warm-up of each. Two rates measured
 * one after the other move with the machine (another tenant, the clock); in turns, whatever
 * slows one slows the other, and their ratio holds. Throws if any answer was not a 2xx.
 * With `cpu` (as for `referralLoad`) each also answers the server's main-thread time per request,
 * in ms (`main`).
 * @param {{ url: string, headers?: Record<string, string> }[]} pages
 * @param {{ connections: number, seconds: number, warmup: number, rounds?: number, cpu?: () => ({ main: number, all: number } | undefined) }} options
 */
export async function loadInTurns(pages, { connections, seconds, warmup, rounds = 5, cpu }) {
	const totals = pages.map(() => ({ requests: 0, seconds: 0, p99: 0, main: 0 }));
	for (const page of pages)
		if (warmup > 0)
			await load(page.url, { connections, seconds: warmup, warmup: 0, headers: page.headers });
	for (let round = 0; round < rounds; round++) {
		for (const [i, page] of pages.entries()) {
			const started = performance.now();
			const before = cpu?.();
			const result = await autocannon({
				url: page.url,
				connections,
				duration: seconds / rounds,
				headers: { accept: 'text/html', ...page.headers }
			});
			const failed = result.non2xx + result.errors + result.timeouts;
			if (failed > 0)
				throw new Error(`${page.url}: ${failed} of ${result.requests.total} requests failed`);
			const after = cpu?.();
			const total =
				/** @type {{ requests: number, seconds: number, p99: number, main: number }} */ (totals[i]);
			total.main += before && after ? after.main - before.main : NaN;
			total.requests += result.requests.total;
			total.seconds += (performance.now() - started) / 1000;
			total.p99 = Math.max(total.p99, result.latency.p99);
		}
	}
	return totals.map((total) => ({
		rate: total.requests / total.seconds,
		p99: total.p99,
		main:
			cpu && total.requests > 0 && !Number.isNaN(total.main)
				? total.main / total.requests
				: undefined
	}));
}

/**
 * Complete referrals per second: each autocannon client walks the whole referral as a new
 * visitor (every step, check, the confirmation page) again and again. With `cpu` (the server's
 * CPU time so far, in ms: its main thread and all its threads) it also answers what one complete
 * referral cost the server (`spent`), and the load generator (this process) beside it.
 * @param {string} origin
 * @param {[string, Record<string, string | string[]>][]} steps the steps' paths and answers
 * @param {{ connections: number, seconds: number, warmup: number, cpu?: () => ({ main: number, all: number } | undefined) }} options
 */
export async function referralLoad(origin, steps, { connections, seconds, warmup, cpu }) {
	/** @type {number[]} */
	let times = [];
	let failed = 0;
	/** @typedef {{ jar: Map<string, string>, started: number }} Context */
	const requests = [
		...steps.map(([path, fields]) => ({ path, ...form(fields) })),
		{ path: '/refer/done', method: 'GET' }
	].map(({ path, method, body, headers }, i, all) => ({
		path,
		method,
		...(body ? { body: body.toString() } : {}),
		/**
		 * @param {Record<string, any>} req
		 * @param {Context} context
		 */
		setupRequest(req, context) {
			if (i === 0) {
				context.jar = new Map();
				context.started = performance.now();
			}
			const cookie = [...(context.jar ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
			return {
				...req,
				headers: {
					...req.headers,
					...headers,
					accept: 'text/html',
					'sec-fetch-site': 'same-origin',
					cookie
				}
			};
		},
		/**
		 * @param {number} status
		 * @param {string} _body
		 * @param {Context} context
		 * @param {Record<string, string | string[]>} responseHeaders
		 */
		onResponse(status, _body, context, responseHeaders) {
			const set = responseHeaders['set-cookie'];
			for (const line of [set ?? []].flat()) absorb(context.jar, line);
			const expected = i === all.length - 1 ? 200 : 303;
			if (status !== expected) failed++;
			else if (i === all.length - 1) times.push(performance.now() - context.started);
		}
	}));
	/** @param {number} duration */
	const run = (duration) => autocannon({ url: origin, connections, duration, requests });
	if (warmup > 0) await run(warmup);
	times = [];
	failed = 0;
	const before = cpu?.();
	// autocannon runs in this process: what it spends is the load generator's share of the machine.
	const generatorBefore = process.cpuUsage();
	const started = performance.now();
	const result = await run(seconds);
	const elapsed = (performance.now() - started) / 1000;
	const generator = process.cpuUsage(generatorBefore);
	const after = cpu?.();
	if (failed > 0 || result.errors + result.timeouts > 0) {
		throw new Error(`referrals: ${failed} unexpected answers, ${result.errors} errors`);
	}
	times.sort((a, b) => a - b);
	const spent =
		before && after && times.length > 0
			? {
					main: (after.main - before.main) / times.length,
					all: (after.all - before.all) / times.length,
					generator: (generator.user + generator.system) / 1000 / times.length
				}
			: undefined;
	return {
		spent,
		rate: times.length / elapsed,
		p99: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] ?? NaN,
		requests: requests.length
	};
}

const bareServer = `
const { createServer } = require('node:http');
const body = Buffer.from(process.env.BODY, 'base64');
createServer((request, response) => {
	response.writeHead(200, { 'content-type': process.env.TYPE, 'content-length': body.length });
	response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send('ready'));
`;

/**
 * A bare Node `http` server in its own process, returning these bytes for every request.
 * @param {number} port
 * @param {Buffer} body
 * @param {string} type the content-type
 * @returns {Promise<{ url: string, stop: () => void }>}
 */
export async function startBareServer(port, body, type) {
	const child = spawn(process.execPath, ['-e', bareServer], {
		env: { PORT: String(port), BODY: body.toString('base64'), TYPE: type },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await new Promise((resolve, reject) => {
		child.once('message', resolve);
		child.once('exit', (code) => reject(new Error(`the bare server stopped (${code})`)));
	});
	return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

const bareReferralServer = `
const { createServer } = require('node:http');
const { hash } = require('@node-rs/argon2');
const [, memoryCost, timeCost, parallelism] = /m=(\\d+),t=(\\d+),p=(\\d+)/.exec(process.env.PARAMS).map(Number);
const done = Buffer.from('<!doctype html><title>Sent</title><p>Your reference is ABCD-EFGH.</p>');
createServer((request, response) => {
	const chunks = [];
	request.on('data', (chunk) => chunks.push(chunk));
	request.on('end', async () => {
		if (request.method === 'GET') {
			response.writeHead(200, { 'content-type': 'text/html', 'content-length': done.length });
			return response.end(done);
		}
		const passphrase = new URLSearchParams(Buffer.concat(chunks).toString()).get('passphrase');
		if (passphrase) await hash(passphrase, { memoryCost, timeCost, parallelism });
		response.writeHead(303, { location: '/', 'set-cookie': 'draft=1; Path=/; HttpOnly' });
		response.end();
	});
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send('ready'));
`;

/**
 * A bare Node `http` server in its own process that answers the referral's walk doing nothing
 * but its one argon2 hash, with the parameters in `params` (the `m=…,t=…,p=…` of a hash the app
 * made): the most complete referrals per second this machine allows the walk, whatever the app.
 * @param {number} port
 * @param {string} params
 * @returns {Promise<{ origin: string, stop: () => void }>}
 */
export async function startBareReferralServer(port, params) {
	const child = spawn(process.execPath, ['-e', bareReferralServer], {
		env: { PORT: String(port), PARAMS: params },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await new Promise((resolve, reject) => {
		child.once('message', resolve);
		child.once('exit', (code) => reject(new Error(`the bare referral server stopped (${code})`)));
	});
	return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/**
 * A process's CPU time so far in ms, its main thread's and all its threads' (Linux's `/proc`;
 * undefined elsewhere).
 * @param {number} pid
 * @returns {{ main: number, all: number } | undefined}
 */
export function processCpu(pid) {
	/** @param {string} path */
	const ticks = (path) => {
		// Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
		const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
		return (Number(fields[11]) + Number(fields[12])) * (1000 / ticksPerSecond);
	};
	try {
		return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`) };
	} catch {
		return undefined;
	}
}

// Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
const ticksPerSecond = 100;
