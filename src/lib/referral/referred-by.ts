import type { Translate } from '$lib/i18n';

/** Who referred a case, as the console says it: "Self", "Family or friend", "Professional (police)". */
export function referredBy(t: Translate, source: string, kind: string | null): string {
	if (source === 'professional' && kind) {
		return t('staff.sources.professionalKind', { kind: t(`staff.referrerKinds.${kind}`) });
	}
	return t(`staff.sources.${source}`);
}
