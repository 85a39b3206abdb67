/** A partner agency a caseworker can refer a person to, with their consent. */
export interface AgencySeed {
	id: string; // slug e.g. 'shelter'
	name: string;
	/** What they do, one plain sentence a person in distress could understand (English). */
	does: string;
	/** The needs (from: emotional, practical, safety, housing, money, health, court, restorative, other) they mainly help with. */
	helpsWith: string[];
}

/** The partner agencies seeded for referral, in the order caseworkers see them. */
export const partnerAgencies: readonly AgencySeed[] = [
	{
		id: 'shelter',
		name: 'Shelter',
		does: 'Shelter gives free advice and support to people who are homeless, at risk of losing their home, or having problems with where they live.',
		helpsWith: ['housing']
	},
	{
		id: 'galop',
		name: 'Galop',
		does: 'Galop supports LGBT+ people who have faced abuse or violence, including hate crime, domestic abuse and sexual violence.',
		helpsWith: ['emotional', 'safety', 'practical']
	},
	{
		id: 'sistah-space',
		name: 'Sistah Space',
		does: 'Sistah Space supports Black women and girls of African and Caribbean heritage who have been affected by domestic abuse.',
		helpsWith: ['safety', 'emotional', 'practical']
	},
	{
		id: 'st-giles-trust',
		name: 'St Giles Trust',
		does: 'St Giles Trust supports people affected by exploitation and violence, and people with a past in the justice system, often through workers who have lived through similar things.',
		helpsWith: ['safety', 'practical', 'housing']
	},
	{
		id: 'stay-safe-east',
		name: 'Stay Safe East',
		does: 'Stay Safe East is run by disabled people and supports disabled people in east London who are facing abuse, such as domestic abuse, hate crime or sexual violence.',
		helpsWith: ['safety', 'emotional', 'practical']
	},
	{
		id: 'calm-mediation',
		name: 'Calm Mediation',
		does: 'Calm Mediation helps people in London settle disputes with neighbours or others through mediation, and offers restorative justice so people harmed by crime can, if they choose, communicate with the person responsible.',
		helpsWith: ['restorative', 'other']
	},
	{
		id: 'catch-22',
		name: 'Catch-22',
		does: 'Catch-22 is a charity that runs services including support for victims of crime and restorative justice.',
		helpsWith: ['restorative', 'emotional', 'practical']
	}
];
