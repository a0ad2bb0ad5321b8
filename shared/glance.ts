// The answer at a glance: what an operator who looks at the attendee, not the screen, must take
// in. Green admitted; amber already in or needs attention; red not valid, cancelled or not found.
// The ticket type's colour shows as a band with its name (colour is never the only sign), and
// each outcome has a sound of its own, made by the app (no audio file), that a station can turn
// off or down. Pure: the desk, the kiosk and their tests use the same rules.

export type Glance = 'admitted' | 'attention' | 'refused';

/**
 * The glance of an answer by its tone (shared/desk.ts describeCheckInOutcome and the desk's own
 * answers): admitted when someone was let in, attention when staff must look, refused otherwise.
 * An undo ('info') or a badge printed without a check-in ('badge') is no door outcome: no glance.
 */
export function glanceOfTone(tone: string): Glance | null {
  switch (tone) {
    case 'success':
    case 'vip':
      return 'admitted';
    case 'warning':
      return 'attention';
    case 'error':
      return 'refused';
    default:
      return null;
  }
}

export const GLANCE_WORDS: Record<Glance, string> = {
  admitted: 'In',
  attention: 'Look',
  refused: 'Stop',
};

/** How long a glance stays when no other scan replaces it. */
export const GLANCE_SHOW_MS = 3_000;

/** A ticket type's band: its colour and the text on it. */
export interface TicketBand {
  colour: string;
  text: string;
  /** Text colour on the band, at least 4.5:1 against it. */
  ink: string;
}

// Named kinds of ticket first (VIP gold, as venues print them), then a palette that reads apart.
const NAMED_BANDS: readonly [RegExp, string, string][] = [
  [/\bvip\b/i, '#c99700', '#1a1200'],
  [/speaker/i, '#6d28d9', '#ffffff'],
  [/staff|crew|volunteer/i, '#1f2937', '#ffffff'],
  [/press|media/i, '#0e7490', '#ffffff'],
  [/sponsor|exhibitor/i, '#b91c1c', '#ffffff'],
];
const PALETTE: readonly [string, string][] = [
  ['#1d4ed8', '#ffffff'],
  ['#047857', '#ffffff'],
  ['#9d174d', '#ffffff'],
  ['#7c2d12', '#ffffff'],
  ['#374151', '#ffffff'],
  ['#4338ca', '#ffffff'],
];

/**
 * The band of a person's ticket: a VIP (the person or the ticket) is gold; a named kind has its
 * colour; any other ticket type keeps one colour of the palette, the same on every desk.
 */
export function ticketBand(ticketName: string | null, vip: boolean): TicketBand | null {
  const name = ticketName?.trim() ?? '';
  if (vip && !/\bvip\b/i.test(name))
    return { colour: '#c99700', ink: '#1a1200', text: name ? `VIP · ${name}` : 'VIP' };
  if (name === '') return null;
  const named = NAMED_BANDS.find(([pattern]) => pattern.test(name));
  if (named) return { colour: named[1], ink: named[2], text: name };
  let hash = 0;
  for (const ch of name.toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const [colour, ink] = PALETTE[hash % PALETTE.length]!;
  return { colour, ink, text: name };
}

/** One note of an outcome's sound. */
export interface Tone {
  frequency: number;
  startMs: number;
  durationMs: number;
  wave: 'sine' | 'triangle' | 'square';
}

/**
 * The sounds, told apart without looking: admitted rises (two bright notes), attention repeats one
 * middle note twice, refused falls low and rough.
 */
export const GLANCE_SOUNDS: Record<Glance, readonly Tone[]> = {
  admitted: [
    { frequency: 880, startMs: 0, durationMs: 110, wave: 'sine' },
    { frequency: 1320, startMs: 120, durationMs: 160, wave: 'sine' },
  ],
  attention: [
    { frequency: 660, startMs: 0, durationMs: 140, wave: 'triangle' },
    { frequency: 660, startMs: 220, durationMs: 140, wave: 'triangle' },
  ],
  refused: [
    { frequency: 330, startMs: 0, durationMs: 180, wave: 'square' },
    { frequency: 220, startMs: 190, durationMs: 300, wave: 'square' },
  ],
};

/** The station's sound: on or off, and its volume (0 to 1). */
export interface AnswerSound {
  on: boolean;
  volume: number;
}

export const DEFAULT_ANSWER_SOUND: AnswerSound = { on: true, volume: 0.6 };
