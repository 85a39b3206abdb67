import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locales as localeList, type Locale } from '$lib/i18n/locales';
import { renderContent, type ContentValues } from './content';

const locales: Locale[] = localeList.map((locale) => locale.code);
const pageScripts = readdirSync('src/lib/page-scripts');

const values: ContentValues = {
	controllerName: 'Camden Victim Care <CIC>',
	controllerContact: 'privacy@camden-care.example',
	dpoContact: 'dpo@camden-care.example'
};

/** The page's words without markup, for asserting what a reader sees. */
function read(lang: Locale, name: string): string {
	const html = renderContent(lang, name, values);
	if (html === undefined) throw new Error(`no ${name} page in ${lang}`);
	return html
		.replace(/<[^>]+>/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/\s+/g, ' ');
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|svelte)$/.test(entry) && !entry.endsWith('.test.ts') ? [path] : [];
	});
}

/**
 * Every cookie name the code can set: each `cookies.set(…)` resolved through the constant it
 * names, and the session cookie's names from the Auth.js configuration. A new cookie without a
 * line on the privacy page fails the test below.
 */
function cookieNames(): string[] {
	const files = sourceFiles('src');
	const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
	const constants = new Map(
		[...text.matchAll(/const (\w+)\s*=\s*'([^']+)'/g)].map(([, name, value]) => [name, value])
	);
	const names = new Set<string>();
	for (const match of text.matchAll(/cookies\.set\(\s*([^,]+),/g)) {
		const argument = (match[1] ?? '').trim();
		// The session cookie, whose names come from authjs.ts below.
		if (argument === 'session.name') continue;
		// Organisation sign-in's check cookies (state, nonce, PKCE), named in one table.
		if (argument === 'cookie.name') {
			const sets = readFileSync('src/lib/server/auth/organisation-sign-in.ts', 'utf8');
			const checks = [...sets.matchAll(/'(od\.oidc\.\w+)'/g)].map(([, name]) => name!);
			if (checks.length !== 3) throw new Error('the organisation sign-in cookies have moved');
			for (const name of checks) names.add(name);
			continue;
		}
		const literal = /^'([^']+)'$/.exec(argument);
		const name = literal?.[1] ?? constants.get(argument);
		if (!name) throw new Error(`cannot tell which cookie cookies.set(${argument}, …) sets`);
		names.add(name);
	}
	const authjs = readFileSync('src/lib/server/auth/authjs.ts', 'utf8');
	const session = /const cookieName = \(\) =>([^\n]+)/.exec(authjs)?.[1];
	if (!session) throw new Error('the Auth.js session cookie name has moved');
	for (const match of session.matchAll(/'([^']+)'/g)) if (match[1]) names.add(match[1]);
	// A cookie set any other way would escape the list above: make the test say so.
	const elsewhere = [
		text,
		readFileSync('server.js', 'utf8'),
		...pageScripts.map((name) => readFileSync(`src/lib/page-scripts/${name}`, 'utf8'))
	];
	// (Reading whether a response sets one, as the page cache does, is not setting one.)
	const setsOne = /(?:set|append|setHeader)\(\s*['"]set-cookie['"]|document\.cookie/i;
	for (const code of elsewhere) expect(code).not.toMatch(setsOne);
	return [...names].sort();
}

/** The first sentence about the offline copy, in the privacy notice and on the safety page. */
const offlineCopy: Record<Locale, string> = {
	en: "Your browser may also keep a copy of this site's public pages, so that they open without internet.",
	pl: 'Przeglądarka może też przechowywać kopię publicznych stron tej witryny, aby otwierały się bez internetu.',
	ar: 'قد يحتفظ متصفحك أيضًا بنسخة من الصفحات العامة لهذا الموقع، لكي تُفتح بدون إنترنت.',
	es: 'Su navegador también puede guardar una copia de las páginas públicas de esta web, para que se abran sin internet.',
	bn: 'আপনার ব্রাউজার এই সাইটের সাধারণ পাতাগুলোর একটি কপিও রেখে দিতে পারে, যাতে ইন্টারনেট ছাড়াই সেগুলো খোলে।',
	gu: 'તમારું બ્રાઉઝર આ સાઇટનાં જાહેર પાનાંની નકલ પણ રાખી શકે છે, જેથી તે ઇન્ટરનેટ વગર ખૂલે.',
	pa: 'ਤੁਹਾਡਾ ਬ੍ਰਾਊਜ਼ਰ ਇਸ ਸਾਈਟ ਦੇ ਜਨਤਕ ਪੰਨਿਆਂ ਦੀ ਇੱਕ ਕਾਪੀ ਵੀ ਰੱਖ ਸਕਦਾ ਹੈ, ਤਾਂ ਜੋ ਉਹ ਇੰਟਰਨੈੱਟ ਤੋਂ ਬਿਨਾਂ ਖੁੱਲ੍ਹ ਸਕਣ।',
	pt: 'O seu navegador também pode guardar uma cópia das páginas públicas deste site, para que abram sem internet.',
	ro: 'Browserul poate păstra și o copie a paginilor publice ale acestui site, ca să se deschidă fără internet.',
	so: "Biraawsarkaagu wuxuu kaloo hayn karaa nuqul ka mid ah boggaga guud ee goobtan, si ay u furmaan internet la'aan.",
	ta: 'இந்தத் தளத்தின் பொதுப் பக்கங்களின் நகலை உங்கள் உலாவி வைத்திருக்கலாம், இணையம் இல்லாமலும் அவை திறக்கும்படி.',
	tr: 'Tarayıcınız bu sitenin herkese açık sayfalarının bir kopyasını da saklayabilir; böylece sayfalar internet olmadan açılır.',
	ur: 'آپ کا براؤزر اس سائٹ کے عام صفحات کی ایک نقل بھی رکھ سکتا ہے، تاکہ وہ انٹرنیٹ کے بغیر کھل سکیں۔'
};

describe('the privacy notice', () => {
	it.each(locales)('in %s names the configured controller and data protection officer', (lang) => {
		const text = read(lang, 'privacy');
		expect(text).toContain('Camden Victim Care <CIC>');
		expect(text).toContain('privacy@camden-care.example');
		expect(text).toContain('dpo@camden-care.example');
		expect(text).not.toMatch(/\{\{\w+\}\}/);
	});

	it('shows a configured value as text, never as markup', () => {
		const html = renderContent('en', 'privacy', values) ?? '';
		expect(html).toContain('<bdi>Camden Victim Care &lt;CIC&gt;</bdi>');
		expect(html).not.toContain('<CIC>');
	});

	it('finds the cookies the code sets', () => {
		expect(cookieNames()).toEqual(
			expect.arrayContaining([
				'__Host-od.session',
				'od.session',
				'od_device',
				'od_exit_notice',
				'od_link',
				'od_referral',
				'od.oidc.nonce',
				'od.oidc.pkce',
				'od.oidc.state'
			])
		);
	});

	// Partner agencies (#16): consent is asked per agency, and sharing without it is possible only
	// for a high-risk (MARAC) case or a child at risk (partners/consent.ts); the notice says so.
	it('says each service is asked about on its own, and when we share without asking', () => {
		const text = read('en', 'privacy');
		expect(text).toContain('if you say yes to that service');
		expect(text).toContain('We ask you about each service on its own');
		expect(text).toContain('The service sees only what we showed you when we asked');
		expect(text).toContain(
			'We share without asking you only if you are at high risk of serious harm, or a child is at risk'
		);
	});

	it.each(locales)('in %s lists every cookie the service sets', (lang) => {
		const text = read(lang, 'privacy');
		for (const name of cookieNames()) expect(text, name).toContain(name);
	});

	// The offline app (service-worker.ts) keeps public pages in the browser: a trace of the visit
	// that deleting history may leave. The safety page and the privacy notice say so, and that
	// quick exit deletes it (offline.spec.ts shows it does).
	it.each(locales)('in %s tells of the copy of our pages the browser keeps', (lang) => {
		expect(readFileSync('src/service-worker.ts', 'utf8')).toContain('caches.open');
		expect(read(lang, 'privacy')).toContain(offlineCopy[lang]);
		expect(read(lang, 'safety')).toContain(offlineCopy[lang]);
	});

	it.each(locales)('in %s says the special-category conditions of DPA 2018 Schedule 1', (lang) => {
		const text = read(lang, 'privacy');
		expect(text).toContain('Data Protection Act 2018');
		expect(text).toMatch(/\b17\b/);
		expect(text).toMatch(/\b18\b/);
		expect(text).toMatch(/\b10\b/);
	});
});

describe('the accessibility statement', () => {
	it('says how many languages the site speaks, and which read right to left', () => {
		const text = read('en', 'accessibility');
		expect(text).toContain(`Read it in ${locales.length} languages`);
		const rtl = localeList.filter((l) => l.dir === 'rtl').map((l) => l.code);
		expect(rtl).toEqual(['ar', 'ur']);
		expect(text).toContain('Arabic and Urdu are shown right to left');
	});
});

// What each language must say: the old, wrong sentence is gone and the right one is there.
const law: Record<
	Locale,
	{
		/** The old, wrong sentence; languages translated after it was fixed never had it. */
		anonymity: { wrong?: string; right: string[] };
		honour: { right: string[] };
		specialMeasures: { right: string[] };
		privacyOversight: string;
	}
> = {
	en: {
		anonymity: {
			wrong: 'the news cannot name you',
			right: ['protects the person it happened to', 'not for other witnesses']
		},
		honour: { right: ['usually call them "Your Honour"', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['The law says you can have special measures if', 'gun or a knife', 'under 18']
		},
		privacyOversight: 'Supervisors and administrators can open every case'
	},
	pl: {
		anonymity: {
			wrong: 'media nie mogą podać Twojego nazwiska',
			right: ['prawo chroni osobę, której to zrobiono', 'nie dotyczy innych świadków']
		},
		honour: { right: ['zwykle możesz mówić', '„My Lord”', '„My Lady”', '„Judge”'] },
		specialMeasures: {
			right: ['Prawo mówi, że możesz korzystać ze środków specjalnych', 'nożem', '18 lat']
		},
		privacyOversight: 'administratorzy mogą otworzyć każdą sprawę'
	},
	ar: {
		anonymity: {
			wrong: 'لا يجوز لها أن تذكر اسمك',
			right: ['يحمي القانون الشخص الذي وقعت عليه الجريمة', 'لا يشمل الشهود الآخرين']
		},
		honour: { right: ['يمكنك عادةً', '«My Lord»', '«My Lady»', '(Judge)'] },
		specialMeasures: {
			right: ['يقول القانون إن من حقك الحصول على التدابير الخاصة', 'سكين', '18 سنة']
		},
		privacyOversight: 'أن يفتحوا كل الملفات'
	},
	ro: {
		anonymity: {
			right: ['legea protejează persoana căreia i s-a întâmplat', 'nu este pentru ceilalți martori']
		},
		honour: { right: ['de obicei', '„My Lord”', '„My Lady”', '„Judge”'] },
		specialMeasures: {
			right: ['Legea spune că puteți avea măsuri speciale dacă', 'cuțit', 'sub 18 ani']
		},
		privacyOversight: 'administratorii pot deschide orice caz'
	},
	es: {
		anonymity: {
			right: ['la ley protege a la persona que lo sufrió', 'no es para los demás testigos']
		},
		honour: { right: ['normalmente puede llamarle', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['La ley dice que puede tener medidas especiales si', 'cuchillo', 'menor de 18 años']
		},
		privacyOversight: 'los administradores pueden abrir todos los casos'
	},
	pt: {
		anonymity: {
			right: ['a lei protege a pessoa a quem aconteceu', 'não se aplica às outras testemunhas']
		},
		honour: { right: ['normalmente pode tratar', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['A lei diz que pode ter medidas especiais se', 'faca', 'menos de 18 anos']
		},
		privacyOversight: 'os administradores podem abrir todos os casos'
	},
	bn: {
		anonymity: {
			right: ['আইন সেই ব্যক্তিকে সুরক্ষা দেয়', 'এই আইন অন্য সাক্ষীদের জন্য নয়']
		},
		honour: { right: ['সাধারণত', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['আইন বলে, আপনি বিশেষ ব্যবস্থা পেতে পারেন যদি', 'ছুরি', '18 বছরের কম']
		},
		privacyOversight: 'অ্যাডমিনিস্ট্রেটররা প্রতিটি কেস খুলতে পারেন'
	},
	tr: {
		anonymity: {
			right: ['yasa, bu suçun işlendiği kişiyi korur', 'diğer tanıklar için değildir']
		},
		honour: { right: ['genellikle', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: [
				'Yasaya göre şu durumlarda özel önlemlerden yararlanabilirsiniz',
				'bıçak',
				'18 yaşından küçük'
			]
		},
		privacyOversight: 'yöneticiler her dosyayı açabilir'
	},
	ur: {
		anonymity: {
			right: [
				'قانون اس شخص کی حفاظت کرتا ہے جس کے ساتھ یہ ہوا',
				'یہ قانون دوسرے گواہوں کے لیے نہیں ہے'
			]
		},
		honour: { right: ['عام طور پر', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['قانون کہتا ہے کہ آپ کو خصوصی اقدامات مل سکتے ہیں اگر', 'چاقو', '18 سال سے کم']
		},
		privacyOversight: 'ایڈمنسٹریٹر ہر کیس کھول سکتے ہیں'
	},
	gu: {
		anonymity: {
			right: ['કાયદો એ વ્યક્તિનું રક્ષણ કરે છે જેની સાથે તે બન્યું', 'આ કાયદો બીજા સાક્ષીઓ માટે નથી']
		},
		honour: { right: ['સામાન્ય રીતે', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['કાયદો કહે છે કે તમને ખાસ વ્યવસ્થા મળી શકે, જો', 'છરી', '18 વર્ષથી ઓછી']
		},
		privacyOversight: 'એડમિનિસ્ટ્રેટર દરેક કેસ ખોલી શકે છે'
	},
	pa: {
		anonymity: {
			right: ['ਕਾਨੂੰਨ ਉਸ ਵਿਅਕਤੀ ਦੀ ਰਾਖੀ ਕਰਦਾ ਹੈ ਜਿਸ ਨਾਲ ਇਹ ਹੋਇਆ', 'ਇਹ ਕਾਨੂੰਨ ਹੋਰ ਗਵਾਹਾਂ ਲਈ ਨਹੀਂ ਹੈ']
		},
		honour: { right: ['ਆਮ ਤੌਰ', '“My Lord”', '“My Lady”', '“Judge”'] },
		specialMeasures: {
			right: ['ਕਾਨੂੰਨ ਕਹਿੰਦਾ ਹੈ ਕਿ ਤੁਸੀਂ ਖ਼ਾਸ ਪ੍ਰਬੰਧ ਲੈ ਸਕਦੇ ਹੋ ਜੇ', 'ਚਾਕੂ', '18 ਸਾਲ ਤੋਂ ਘੱਟ']
		},
		privacyOversight: 'ਸੁਪਰਵਾਈਜ਼ਰ ਅਤੇ ਪ੍ਰਬੰਧਕ ਹਰ ਕੇਸ ਖੋਲ੍ਹ ਸਕਦੇ ਹਨ'
	},
	ta: {
		anonymity: {
			right: ['அது யாருக்கு நடந்ததோ அவரைச் சட்டம் பாதுகாக்கிறது', 'இந்தச் சட்டம் மற்ற சாட்சிகளுக்குப் பொருந்தாது']
		},
		honour: { right: ['பொதுவாக', '“My Lord”', '“My Lady”', '“Judge”'] },
		specialMeasures: {
			right: ['சிறப்பு ஏற்பாடுகளைப் பெறலாம் என்று சட்டம் சொல்கிறது', 'கத்தி', '18-க்குக் குறைவு']
		},
		privacyOversight: 'நிர்வாகிகளும் எல்லா வழக்குகளையும் திறக்கலாம்'
	},
	so: {
		anonymity: {
			right: [
				'sharcigu wuxuu ilaaliyaa qofka uu ku dhacay',
				'Sharcigan uma aha markhaatiyaasha kale'
			]
		},
		honour: { right: ['badanaa', '"My Lord"', '"My Lady"', '"Judge"'] },
		specialMeasures: {
			right: ['waxaad heli kartaa tallaabooyinka gaarka ah haddii', 'mindi', 'ka yar tahay 18 sano']
		},
		privacyOversight: 'maamulayaashu waxay furi karaan kiis kasta'
	}
};

describe('the court guide and privacy notice say the law as it is', () => {
	it.each(locales)(
		'in %s: lifelong anonymity is for the complainant, not every witness (SO(A)A 1992 s.1)',
		(lang) => {
			const text = read(lang, 'court-day');
			const { wrong } = law[lang].anonymity;
			if (wrong) expect(text).not.toContain(wrong);
			for (const phrase of law[lang].anonymity.right) expect(text).toContain(phrase);
		}
	);

	it.each(locales)('in %s: not every judge is "Your Honour"', (lang) => {
		const text = read(lang, 'court-day');
		for (const phrase of law[lang].honour.right) expect(text).toContain(phrase);
	});

	it.each(locales)(
		'in %s: names who is eligible for special measures (YJCEA 1999 ss.16-17)',
		(lang) => {
			const text = read(lang, 'court-before');
			for (const phrase of law[lang].specialMeasures.right) expect(text).toContain(phrase);
		}
	);

	it.each(locales)('in %s: says supervisors and administrators can open every case', (lang) => {
		expect(read(lang, 'privacy')).toContain(law[lang].privacyOversight);
	});
});
