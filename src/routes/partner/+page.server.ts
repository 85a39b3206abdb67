import { requirePartner } from '$lib/server/auth';
import * as conversation from '$lib/server/partners/conversation';
import * as work from '$lib/server/partners/work';
import * as workers from '$lib/server/partners/workers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const partner = requirePartner(event);
	const listed = work.referralsFor(partner, { after: event.url.searchParams.get('after') });
	const unread = conversation.unread(
		listed.referrals.map((r) => r.id),
		'partner'
	);
	return {
		agency: workers.account(partner.userId)?.agency ?? '',
		referrals: listed.referrals.map((r) => ({ ...r, unread: unread.get(r.id) ?? 0 })),
		next: listed.next,
		paged: event.url.searchParams.has('after')
	};
};
