// `npm run bench`: what people on slow phones and caseworkers at work would feel, measured on the
// built server (run `npm run build` first) with a fresh SQLite file and demo data.
//   - page weight: HTML and JavaScript bytes (gzip) of the pages people arrive on;
//   - response times (median and 95th percentile) of public pages and of the console's case
//     list once it holds many referrals (names are sealed, so the list opens each one).
// Timings vary by machine; compare runs on one machine, before and after a change.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateSync } from 'otplib';

const port = Number(process.env.BENCH_PORT ?? 4180);
const origin = `http://localhost:${port}`;
const referralsToMake = Number(process.env.BENCH_REFERRALS ?? 150);
const samples = Number(process.env.BENCH_SAMPLES ?? 100);

const server = spawn(process.execPath, ['server.js'], {
	env: {
		...process.env,
		PORT: String(port),
		ORIGIN: origin,
		DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'onedoor-bench-')), 'bench.db'),
		DEMO_DATA: 'true',
		// Demo data is refused in production; a benchmark server runs as a test server.
		NODE_ENV: 'test',
		DATA_KEY: 'bench:' + Buffer.alloc(32, 3).toString('base64'),
		OUTBOX_INTERVAL_MS: '60000'
	},
	stdio: ['ignore', 'ignore', 'inherit']
});

async function waitForServer() {
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(origin)).ok) return;
		} catch {
			/* not yet */
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('the server did not start');
}

/** A tiny cookie jar for one visitor. */
function visitor() {
	const jar = new Map();
	return async (path, init = {}) => {
		const response = await fetch(origin + path, {
			...init,
			redirect: 'manual',
			headers: {
				...(init.headers ?? {}),
				cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
				'sec-fetch-site': 'same-origin',
				accept: 'text/html'
			}
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const [name, ...value] = pair.split('=');
			jar.set(name.trim(), value.join('='));
		}
		return response;
	};
}

const form = (fields) => {
	const body = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of [value].flat()) body.append(name, item);
	}
	return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};

async function refer(n) {
	const go = visitor();
	const steps = [
		['safe-now', { safeNow: 'safe' }],
		['who', { who: 'victim' }],
		['what-happened', { crimeType: n % 3 ? 'fraud' : 'domestic_abuse', when: 'month', date: '' }],
		['account', { account: `Bench account number ${n}.` }],
		['police', { police: 'not_reported', crimeReference: '' }],
		['needs', { needs: ['money'], childAtRisk: 'no' }],
		['contact', { channels: ['portal'], name: `Person ${n}` }],
		['language', { language: 'en', interpreter: 'no', accessNeeds: '' }],
		['consent', {}],
		[
			'passphrase',
			{ passphrase: 'bench lantern harbour tide', confirm: 'bench lantern harbour tide' }
		]
	];
	for (const [step, fields] of steps) await go(`/refer/${step}`, form(fields));
	await go('/refer/check', form({}));
}

async function signInSupervisor() {
	const go = visitor();
	await go(
		'/staff/sign-in',
		form({ email: 'supervisor@onedoor.test', password: 'demo staff password' })
	);
	const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
	const response = await go('/staff/verify', form({ code: generateSync({ secret }) }));
	if (response.status !== 303) throw new Error('supervisor sign-in failed');
	return go;
}

async function time(label, go, path) {
	const ms = [];
	for (let i = 0; i < samples; i++) {
		const start = performance.now();
		const response = await go(path);
		await response.arrayBuffer();
		ms.push(performance.now() - start);
	}
	ms.sort((a, b) => a - b);
	const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
	console.log(
		`${label.padEnd(44)} median ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms`
	);
}

async function weight(path) {
	const html = await (await fetch(origin + path)).text();
	const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
	const imports = [...html.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
	const preloads = [...html.matchAll(/<link[^>]*>/g)]
		.map((m) => m[0])
		.filter((tag) => tag.includes('modulepreload'))
		.map((tag) => /href="([^"]+)"/.exec(tag)?.[1])
		.filter(Boolean);
	const modules = [...imports, ...preloads];
	let js = 0;
	for (const src of new Set([...scripts, ...modules])) {
		const url = new URL(src, origin + path);
		js += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
	}
	const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
	console.log(
		`${path.padEnd(20)} HTML ${kb(gzipSync(html).length).padStart(8)}   JS ${kb(js).padStart(8)} (gzip)`
	);
}

try {
	await waitForServer();
	console.log('Page weight');
	for (const path of ['/', '/court/day', '/ar/safety', '/refer/who', '/sign-in'])
		await weight(path);

	console.log(`\nResponse times (${samples} requests each, one at a time)`);
	const anyone = visitor();
	await time('GET / (home)', anyone, '/');
	await time('GET /court/day (court guide)', anyone, '/court/day');

	const started = performance.now();
	for (let i = 0; i < referralsToMake; i++) await refer(i);
	const perReferral = (performance.now() - started) / referralsToMake;
	console.log(
		`${'one whole referral (12 requests, argon2)'.padEnd(44)} mean   ${perReferral.toFixed(1).padStart(7)} ms`
	);

	const supervisor = await signInSupervisor();
	await time(`GET /staff/cases (${referralsToMake} referrals, triage)`, supervisor, '/staff/cases');
	await time(
		`GET /staff/cases?q=person 7 (name search)`,
		supervisor,
		'/staff/cases?q=person%207&status=open'
	);
	await time('GET /staff (caseload and oversight)', supervisor, '/staff');
} finally {
	server.kill();
}
