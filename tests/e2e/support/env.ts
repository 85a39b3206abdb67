// The test process's stand-in for SvelteKit's `$env/dynamic/private` (tests/tsconfig.json maps
// it here), so factories can load the real server modules outside the SvelteKit runtime.
export const env: Record<string, string | undefined> = process.env;
