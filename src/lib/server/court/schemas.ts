import * as v from 'valibot';
import { checklistItems, specialMeasures } from './index';

// The court page's forms; messages are keys under `my.court.errors`.
const e = (key: string) => `my.court.errors.${key}`;
const text = (max: number, key: string) =>
	v.pipe(v.string(e(key)), v.trim(), v.maxLength(max, e(key)));

// A box ticked twice (an edited form) is refused, as the referral's lists refuse repeats.
const once = <T>(list: T[]) => new Set(list).size === list.length;

export const checklistForm = v.object({
	ticked: v.pipe(
		v.array(v.picklist(checklistItems, e('checklist')), e('checklist')),
		v.check(once, e('checklist'))
	)
});

export const visitForm = v.object({
	dates: v.pipe(text(300, 'datesTooLong'), v.nonEmpty(e('dates'))),
	access: text(1000, 'accessTooLong'),
	who: text(300, 'whoTooLong')
});

export const measuresForm = v.pipe(
	v.object({
		measures: v.pipe(
			v.array(v.picklist(specialMeasures, e('measures')), e('measures')),
			v.check(once, e('measures'))
		),
		notes: text(1000, 'notesTooLong')
	}),
	v.forward(
		v.check((input) => input.measures.length > 0 || input.notes.length > 0, e('measures')),
		['measures']
	)
);
