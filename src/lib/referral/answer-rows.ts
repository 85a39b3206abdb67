import type { LabelsIn, MessageGroup, Translate } from '$lib/i18n';
import { preferredLanguages, type Answers, type StepSlug } from '$lib/referral/steps';

/** One line of "check your answers": a question, the answer as lines, and the step to change it. */
export interface AnswerRow {
	id: string;
	step: StepSlug;
	first: boolean;
	question: string;
	answer: string[];
	missing: boolean;
	/** The answer's language when it is not the page's: a language named in itself. */
	lang?: string;
}

/** The rows of the check page, in journey order, translated. */
export function answerRows(
	t: Translate,
	answers: Answers,
	journey: StepSlug[],
	passphraseChosen: boolean
): AnswerRow[] {
	const rows: AnswerRow[] = [];
	const add = (
		step: StepSlug,
		question: string,
		answer: (string | undefined | false)[],
		missing = false,
		lang?: string
	) =>
		rows.push({
			id: `${step}-${rows.length}`,
			step,
			first: !rows.some((row) => row.step === step),
			question,
			answer: answer.filter((line): line is string => Boolean(line)),
			missing,
			...(lang ? { lang } : {})
		});
	const choice = <G extends MessageGroup>(group: G, value: LabelsIn<G> | undefined) => {
		const prefix: MessageGroup = group;
		return value ? t(`${prefix}.${value as string}`) : undefined;
	};
	const yesNo = (value: string | undefined) =>
		value === 'yes'
			? t('common.form.yes')
			: value === 'no'
				? t('common.form.no')
				: value === 'unsure'
					? t('common.form.notSure')
					: undefined;

	for (const step of journey) {
		switch (step) {
			case 'safe-now':
				add(
					step,
					t('refer.safeNow.legend'),
					[choice('refer.safeNow', answers.safeNow)],
					!answers.safeNow
				);
				break;
			case 'who':
				add(step, t('refer.who.legend'), [choice('refer.who', answers.who)], !answers.who);
				break;
			case 'about-them':
				add(step, t('refer.them.name'), [answers.them?.name], !answers.them);
				add(step, t('refer.them.contact'), [answers.them?.contact]);
				add(step, t('refer.them.knows'), [yesNo(answers.them?.knows)], !answers.them);
				break;
			case 'what-happened':
				add(
					step,
					t('refer.happened.crimeType'),
					[choice('refer.happened.crimeTypes', answers.happened?.crimeType)],
					!answers.happened
				);
				add(
					step,
					t('refer.happened.when'),
					[choice('refer.happened.whens', answers.happened?.when), answers.happened?.date],
					!answers.happened
				);
				break;
			case 'account':
				add(step, t('refer.account.label'), [answers.account?.account], !answers.account);
				break;
			case 'police':
				add(
					step,
					t('refer.police.legend'),
					[choice('refer.police', answers.police?.police), answers.police?.crimeReference],
					!answers.police
				);
				break;
			case 'needs':
				add(
					step,
					t('refer.needs.legend'),
					(answers.needs?.needs ?? []).map((need) => t(`refer.needs.${need}`)),
					!answers.needs
				);
				add(
					step,
					t('refer.needs.childAtRisk'),
					[yesNo(answers.needs?.childAtRisk)],
					!answers.needs
				);
				break;
			case 'contact': {
				const contact = answers.contact;
				add(
					step,
					t('refer.contact.channels'),
					(contact?.channels ?? []).map((c) => t(`refer.contact.${c}`)),
					!contact
				);
				add(step, t('refer.contact.name'), [contact?.name]);
				add(step, t('refer.contact.phoneNumber'), [contact?.phone]);
				if (contact?.channels.includes('phone')) {
					add(step, t('refer.contact.voicemail'), [yesNo(contact.voicemail)]);
					add(step, t('refer.contact.sayWhoWeAre'), [yesNo(contact.sayWhoWeAre)]);
				}
				add(step, t('refer.contact.emailAddress'), [contact?.email]);
				add(step, t('refer.contact.safeTimes'), [contact?.safeTimes]);
				add(step, t('refer.contact.alternative'), [contact?.alternative]);
				break;
			}
			case 'language': {
				const language = answers.language;
				const named = preferredLanguages.find((l) => l.code === language?.language);
				const other = named?.code === 'other';
				const name = other ? t('refer.language.other') : named?.name;
				add(step, t('refer.language.language'), [name], !language, other ? undefined : named?.code);
				add(step, t('refer.language.interpreter'), [yesNo(language?.interpreter)], !language);
				add(step, t('refer.language.accessNeeds'), [language?.accessNeeds]);
				break;
			}
			case 'consent':
				add(
					step,
					t('refer.consent.shareLegend'),
					[
						answers.consent
							? t(answers.consent.share ? 'refer.check.allowed' : 'refer.check.notAllowed')
							: undefined
					],
					!answers.consent
				);
				add(
					step,
					t('refer.consent.policeLegend'),
					[
						answers.consent
							? t(answers.consent.police ? 'refer.check.allowed' : 'refer.check.notAllowed')
							: undefined
					],
					!answers.consent
				);
				break;
			case 'passphrase':
				add(
					step,
					t('refer.passphrase.label'),
					[passphraseChosen && t('refer.check.set')],
					!passphraseChosen
				);
				break;
		}
	}
	return rows;
}
