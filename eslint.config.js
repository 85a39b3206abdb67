import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			// Type information for the rules below that need it: a promise nobody awaits is a
			// referral or message that may never be written.
			parserOptions: {
				projectService: {
					allowDefaultProject: ['drizzle.config.ts', 'src/service-worker.ts']
				},
				tsconfigRootDir: import.meta.dirname
			}
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		// A component's script reaches the type checker as generated code that differs from the
		// file on disk. Through the project service each one rebuilt the shared program, and
		// linting .ts and .svelte files together took 4 minutes instead of 40 seconds; one program
		// from tsconfig.json gives the same type information without the rebuilds.
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: './tsconfig.json',
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// Links are localised through $lib/i18n paths, not SvelteKit's resolve().
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/require-await': 'error',
			// A button without a type submits its form: every button says what it does.
			'svelte/button-has-type': 'error'
		}
	},
	{
		// Plain JavaScript outside the TypeScript project has no type information to lint with.
		files: ['**/*.js', '**/*.cjs'],
		...ts.configs.disableTypeChecked
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'drizzle/',
			'test-results/',
			'playwright-report/'
		]
	}
);
