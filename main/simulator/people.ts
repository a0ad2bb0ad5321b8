// Deterministic registrants and identifiers. The same sequence of simulator calls always yields
// the same names, emails and ids, so test failures and benchmark runs are reproducible.
// Names mix in non-ASCII letters, apostrophes and multi-word surnames on purpose: they are
// what breaks search, sorting and badge rendering in real venues.
import type { SimPerson } from './types.ts';

const FIRST_NAMES = [
  'Zoë',
  'Łukasz',
  'José',
  'Amara',
  'Chloé',
  'Søren',
  'Aiko',
  'Björn',
  'Priya',
  'Mateo',
  'Anaïs',
  'Kwame',
  'Małgorzata',
  'Liam',
  'Fatima',
  'Jürgen',
  'Siobhán',
  'Wei',
  'Renée',
  'Olusegun',
  'Ingrid',
  'Dmitri',
  'Camille',
  'Rafael',
  'Yara',
  'Tomás',
  'Hannah',
  'Ishaan',
  'Noor',
  'Elif',
  'Grace',
  'Mikael',
  'Aroha',
  'Léa',
  'Santiago',
  'Ewa',
  'Kenji',
  'Astrid',
  'Omar',
  'Nadia',
  'Ömer',
];

const LAST_NAMES = [
  'Müller',
  'Nowak',
  'García',
  'Okafor',
  'Dubois',
  'Andersen',
  'Tanaka',
  'Lindqvist',
  'Sharma',
  'Rossi',
  "O'Brien",
  'Kowalski',
  'Nguyen',
  'Dvořák',
  'Fernández',
  'Schäfer',
  'Mensah',
  'Ødegaard',
  'van der Berg',
  'Kim',
  'Petrov',
  'Moreau',
  'Silva',
  'Haddad',
  'Öztürk',
  'Smith',
  'Yılmaz',
  'Fitzgerald',
  'Zhang',
  'Costa',
  'Jovanović',
  'Brennan',
  'Laurent',
  'Nakamura',
  'Ibrahim',
  'Novák',
  'Eriksen',
];

const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Nordlicht GmbH',
  'Café Müller Digital',
  'Umbrella Labs',
  'Żuraw Systems',
  'Hooli',
  'Soylent Foods',
  'Vandelay Industries',
  'Stark Analytics',
  'Oceanic Airlines',
  'Wonka Confectionery',
  'Aperture Science',
  'Tyrell & Söhne',
  'Massive Dynamic',
  'Cyberdyne',
  'Los Pollos Hermanos',
  'Blue Sun',
  'Kraków Code Works',
  'Dunder Mifflin',
  'Pied Piper',
  'Monsters, Inc.',
];

const JOB_TITLES = [
  'Software Engineer',
  'Product Manager',
  'CTO',
  'Head of Marketing',
  'Data Scientist',
  'Designer',
  'Event Coordinator',
  'Founder & CEO',
  'Sales Director',
  'Researcher',
  'DevOps Engineer',
  'Community Manager',
  'Student',
  'Consultant',
  'Journalist',
  'Directrice Générale',
  'Operations Lead',
  'Investor',
  'Solutions Architect',
];

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** The ASCII form of a name for an email local part: "Łukasz" -> "lukasz", "O'Brien" -> "obrien". */
function emailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[øØ]/g, 'o')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

// Folded once: seeding 100,000 people must not normalise strings 200,000 times.
const FIRST_EMAIL = FIRST_NAMES.map(emailPart);
const LAST_EMAIL = LAST_NAMES.map(emailPart);

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

/**
 * The `index`-th generated person. The list lengths are coprime-ish and the surname index is
 * scrambled, so neighbouring people do not share name pairs; the index in the email keeps
 * every email unique. About one in nine has no company and one in eleven no job title.
 */
export function personAt(index: number): SimPerson {
  const firstIndex = index % FIRST_NAMES.length;
  const lastIndex = (index * 7 + Math.floor(index / FIRST_NAMES.length)) % LAST_NAMES.length;
  return {
    firstName: pick(FIRST_NAMES, firstIndex),
    lastName: pick(LAST_NAMES, lastIndex),
    email: `${pick(FIRST_EMAIL, firstIndex)}.${pick(LAST_EMAIL, lastIndex)}.${index}@${pick(EMAIL_DOMAINS, index)}`,
    company: index % 9 === 4 ? null : pick(COMPANIES, index * 3 + 1),
    jobTitle: index % 11 === 6 ? null : pick(JOB_TITLES, index * 5 + 2),
  };
}

/**
 * A registrant as a record keeps it: fixed details, or just the index of a generated person.
 * Seeded rows keep the index and are rendered on demand, which is what lets 100,000 rows
 * seed in well under a second; an edit turns the index into fixed details.
 */
export type StoredPerson = SimPerson | number;

export function resolvePerson(person: StoredPerson): SimPerson {
  return typeof person === 'number' ? personAt(person) : person;
}

/** Most seeded attendees hold the first ticket type; every tenth and so on hold the others. */
export function ticketTypeAt(index: number, ticketTypes: readonly string[]): string {
  if (ticketTypes.length === 0) throw new Error('ticketTypeAt needs at least one ticket type');
  if (ticketTypes.length === 1 || index % 10 < 7) return ticketTypes[0] as string;
  return pick(ticketTypes.slice(1), index);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A seeded pseudo-random source (mulberry32) for opaque-looking ids and tokens. Not for
 * anything secret: the point is that a fixed seed gives the same ids on every run.
 */
export class DeterministicRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** The next 32-bit value. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** The next value as a fraction in [0, 1). */
  fraction(): number {
    return this.next() / 2 ** 32;
  }
  string(length: number, alphabet = ALPHANUMERIC): string {
    // Char codes joined once: concatenating one character at a time is several times slower
    // when seeding 100,000 guests.
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(this.next() % alphabet.length);
    return String.fromCharCode(...codes);
  }
}

/** A seeded source of fractions in [0, 1), for choices that must be the same on every run. */
export function seededFractions(seed: number): () => number {
  const random = new DeterministicRandom(seed);
  return () => random.fraction();
}
