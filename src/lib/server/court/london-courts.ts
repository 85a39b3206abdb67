/** A court people may be called to: London's Crown Court centres and magistrates' courts. */
export interface CourtSeed {
	/** Stable slug id, e.g. 'southwark-crown' */
	id: string;
	name: string; // official name, e.g. 'Southwark Crown Court'
	kind: 'crown' | 'magistrates';
	address: string; // full postal address on one line, with postcode
	/** Plain-English notes on getting there and step-free access, 1-2 short sentences (nearest station). */
	travel: string;
}

/** London's Crown Court centres, then its magistrates' courts, as seeded into the courts table. */
export const londonCourts: readonly CourtSeed[] = [
	{
		id: 'central-criminal-court',
		name: 'Central Criminal Court',
		kind: 'crown',
		address: 'Old Bailey, London EC4M 7EH',
		travel:
			"Known as the Old Bailey. Nearest station: St Paul's (Central line); ask the court about step-free access before the day."
	},
	{
		id: 'southwark-crown',
		name: 'Southwark Crown Court',
		kind: 'crown',
		address: '1 English Grounds (off Battlebridge Lane), London SE1 2HU',
		travel:
			'Nearest station: London Bridge (Northern and Jubilee lines, National Rail). Ask the court about step-free access before the day.'
	},
	{
		id: 'inner-london-crown',
		name: 'Inner London Crown Court',
		kind: 'crown',
		address: 'Sessions House, Newington Causeway, London SE1 6AZ',
		travel:
			'Nearest stations: Borough (Northern line) and Elephant & Castle. Ask the court about step-free access before the day.'
	},
	{
		id: 'snaresbrook-crown',
		name: 'Snaresbrook Crown Court',
		kind: 'crown',
		address: '75 Hollybush Hill, Snaresbrook, London E11 1QW',
		travel:
			'Nearest station: Snaresbrook (Central line). Ask the court about step-free access before the day.'
	},
	{
		id: 'wood-green-crown',
		name: 'Wood Green Crown Court',
		kind: 'crown',
		address: 'Woodall House, Lordship Lane, Wood Green, London N22 5LF',
		travel:
			'Nearest station: Wood Green (Piccadilly line). Ask the court about step-free access before the day.'
	},
	{
		id: 'harrow-crown',
		name: 'Harrow Crown Court',
		kind: 'crown',
		address: 'Hailsham Drive, off Headstone Drive, Harrow HA1 4TU',
		travel:
			'Nearest station: Harrow & Wealdstone (Bakerloo line, London Overground, National Rail). Ask the court about step-free access before the day.'
	},
	{
		id: 'isleworth-crown',
		name: 'Isleworth Crown Court',
		kind: 'crown',
		address: '36 Ridgeway Road, Isleworth TW7 5LP',
		travel:
			'Nearest stations: Isleworth (National Rail) and Osterley (Piccadilly line). Ask the court about step-free access before the day.'
	},
	{
		id: 'kingston-crown',
		name: 'Kingston-upon-Thames Crown Court',
		kind: 'crown',
		address: '6-8 Penrhyn Road, Kingston upon Thames KT1 2BB',
		travel:
			'Nearest stations: Kingston and Surbiton (National Rail). Ask the court about step-free access before the day.'
	},
	{
		id: 'croydon-crown',
		name: 'Croydon Crown Court',
		kind: 'crown',
		address: 'The Law Courts, Altyre Road, Croydon CR9 5AB',
		travel:
			'Nearest station: East Croydon (National Rail and trams). Ask the court about step-free access before the day.'
	},
	{
		id: 'woolwich-crown',
		name: 'Woolwich Crown Court',
		kind: 'crown',
		address: '2 Belmarsh Road, Thamesmead, London SE28 0EY',
		travel:
			'Next to HMP Belmarsh; nearest stations are Plumstead (National Rail) and Woolwich, then a bus or walk. Ask the court about step-free access before the day.'
	},
	{
		id: 'westminster-magistrates',
		name: "Westminster Magistrates' Court",
		kind: 'magistrates',
		address: '181 Marylebone Road, London NW1 5BR',
		travel:
			'Nearest stations: Marylebone (Bakerloo line, National Rail) and Edgware Road. Ask the court about step-free access before the day.'
	},
	{
		id: 'city-of-london-magistrates',
		name: "City of London Magistrates' Court",
		kind: 'magistrates',
		address: '1 Queen Victoria Street, London EC4N 4XY',
		travel:
			'Nearest stations: Bank and Mansion House. Ask the court about step-free access before the day.'
	},
	{
		id: 'highbury-corner-magistrates',
		name: "Highbury Corner Magistrates' Court",
		kind: 'magistrates',
		address: '51 Holloway Road, London N7 8JA',
		travel:
			'Nearest station: Highbury & Islington (Victoria line, London Overground). Ask the court about step-free access before the day.'
	},
	{
		id: 'thames-magistrates',
		name: "Thames Magistrates' Court",
		kind: 'magistrates',
		address: '58 Bow Road, London E3 4DJ',
		travel:
			'Nearest stations: Bow Road (District and Hammersmith & City lines) and Bow Church (DLR). Ask the court about step-free access before the day.'
	},
	{
		id: 'stratford-magistrates',
		name: "Stratford Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, 389-397 High Street, Stratford, London E15 4SB',
		travel:
			'Nearest stations: Stratford High Street (DLR) and Stratford. Ask the court about step-free access before the day.'
	},
	{
		id: 'barkingside-magistrates',
		name: "Barkingside Magistrates' Court",
		kind: 'magistrates',
		address: '850 Cranbrook Road, Barkingside, Ilford IG6 1HW',
		travel:
			'Nearest station: Barkingside (Central line). Ask the court about step-free access before the day.'
	},
	{
		id: 'romford-magistrates',
		name: "Romford Magistrates' Court",
		kind: 'magistrates',
		address: 'Main Road, Romford RM1 3BH',
		travel:
			'Nearest station: Romford (Elizabeth line, London Overground). Ask the court about step-free access before the day.'
	},
	{
		id: 'willesden-magistrates',
		name: "Willesden Magistrates' Court",
		kind: 'magistrates',
		address: '448 High Road, Willesden, London NW10 2DZ',
		travel:
			'Nearest stations: Willesden Green and Dollis Hill (Jubilee line), then a walk or bus. Ask the court about step-free access before the day.'
	},
	{
		id: 'uxbridge-magistrates',
		name: "Uxbridge Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, Harefield Road, Uxbridge UB8 1PQ',
		travel:
			'Nearest station: Uxbridge (Metropolitan and Piccadilly lines). Ask the court about step-free access before the day.'
	},
	{
		id: 'ealing-magistrates',
		name: "Ealing Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, Green Man Lane, West Ealing, London W13 0SD',
		travel:
			'Nearest station: West Ealing (Elizabeth line). Ask the court about step-free access before the day.'
	},
	{
		id: 'hendon-magistrates',
		name: "Hendon Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, The Hyde, Hendon, London NW9 7BY',
		travel:
			'Nearest stations: Hendon (Thameslink) and Colindale (Northern line). Ask the court about step-free access before the day.'
	},
	{
		id: 'croydon-magistrates',
		name: "Croydon Magistrates' Court",
		kind: 'magistrates',
		address: 'Barclay Road, Croydon CR9 3NG',
		travel:
			'Nearest station: East Croydon (National Rail and trams). Ask the court about step-free access before the day.'
	},
	{
		id: 'bromley-magistrates',
		name: "Bromley Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, London Road, Bromley BR1 1RA',
		travel:
			'Nearest station: Bromley North (National Rail). Ask the court about step-free access before the day.'
	},
	{
		id: 'lavender-hill-magistrates',
		name: "Lavender Hill Magistrates' Court",
		kind: 'magistrates',
		address: '176A Lavender Hill, London SW11 1JU',
		travel:
			'Nearest station: Clapham Junction (National Rail, London Overground). Ask the court about step-free access before the day.'
	},
	{
		id: 'wimbledon-magistrates',
		name: "Wimbledon Magistrates' Court",
		kind: 'magistrates',
		address: 'The Court House, Alexandra Road, Wimbledon, London SW19 7JP',
		travel:
			'Nearest station: Wimbledon (District line, National Rail, trams). Ask the court about step-free access before the day.'
	},
	{
		id: 'bexley-magistrates',
		name: "Bexley Magistrates' Court",
		kind: 'magistrates',
		address: 'Norwich Place, Bexleyheath DA6 7ND',
		travel:
			'Nearest station: Bexleyheath (National Rail). Ask the court about step-free access before the day.'
	},
	{
		id: 'belmarsh-magistrates',
		name: "Belmarsh Magistrates' Court",
		kind: 'magistrates',
		address: '4 Belmarsh Road, Thamesmead, London SE28 0HA',
		travel:
			'Next to Woolwich Crown Court; nearest stations are Plumstead (National Rail) and Woolwich, then a bus or walk. Ask the court about step-free access before the day.'
	}
];
