import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints the ten slowest tests when the run ends, so a slow test is seen before it grows. */
export default class Slowest implements Reporter {
	private readonly times: { title: string; ms: number }[] = [];

	onTestEnd(test: TestCase, result: TestResult): void {
		const project = test.parent.project()?.name ?? '';
		this.times.push({
			title: `[${project}] ${test.titlePath().slice(2).join(' › ')}`,
			ms: result.duration
		});
	}

	onEnd(): void {
		const slowest = [...this.times].sort((a, b) => b.ms - a.ms).slice(0, 10);
		console.log('\nThe ten slowest tests:');
		for (const { title, ms } of slowest)
			console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${title}`);
	}

	printsToStdio(): boolean {
		return true;
	}
}
