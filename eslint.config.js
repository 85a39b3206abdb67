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
		files: ['**/*.svelte'],
		// A component's script reaches the type checker as generated code that differs from the
		// file on disk, so each typed component rebuilds the whole program's checker (2 to 4 s
		// each: with 116 components, linting took 6 minutes of the suite's 10). Components are
		// linted without type information, and any code that waits on a promise, where the
		// type-checked rules below matter, is refused outside the components that keep them.
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: null,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			...ts.configs.disableTypeChecked.rules,
			// Types are svelte-check's (`npm run check`); without them a DOM type like AutoFill
			// looks like an undefined variable.
			'no-undef': 'off',
			'no-restricted-syntax': [
				'error',
				{
					selector:
						'AwaitExpression, :function[async=true], CallExpression[callee.property.name="then"]',
					message:
						'Promises in a component: list it under "typed components" in eslint.config.js so an unawaited promise is caught.'
				}
			]
		}
	},
	{
		// Typed components: the portal's, whose scripts fetch and submit (unread count, session
		// extension, court checklist), and the rune modules (the live conversation's polling).
		// One program from tsconfig.json for all of them.
		files: ['**/(portal)/**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				project: './tsconfig.json',
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'no-restricted-syntax': 'off',
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/require-await': 'error'
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
