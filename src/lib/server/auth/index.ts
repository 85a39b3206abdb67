// The one door to authentication: routes and hooks import from here, never from Auth.js.
export {
	carriesSessionCookie,
	clearCookie,
	issueCookie,
	sessionIdOf,
	setSessionCookie
} from './authjs';
export {
	requirePartner,
	requirePendingPartner,
	requirePendingStaff,
	requirePerson,
	requireStaff,
	type Partner
} from './guards';
export * as devices from './devices';
export * as emailLinks from './email-links';
export * as people from './people';
export * as staff from './staff';
export * as sessions from './sessions';
export type { Role, SignedIn } from './sessions';
export * as organisations from './organisations';
export * as organisationAccounts from './organisation-accounts';
export * as organisationSignIn from './organisation-sign-in';
