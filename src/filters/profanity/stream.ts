// The stream the profanity matcher reads: folded letters, one SPACE between words, each entry
// remembering where its character sits in the original text (built by tokenizer.ts).

export const SPACE = 0x20;
/** A hidden letter ("*" in "f*ck"). */
export const WILD = 0x2a;
/**
 * Set in `alt` on a digit or symbol read as a vowel ("0" in "f0ck"): a vowel written that way may
 * stand for another vowel too (see the matcher). The letter in `alt` is `alt & ALT_LETTER`.
 */
export const VOWEL_FLAG = 0x8000;
export const ALT_LETTER = 0x7fff;

/** The matcher's view of a text. Arrays are longer than `length`; entries past it are garbage. */
export interface TextStream {
  length: number;
  /** The original text. */
  text: string;
  /** Folded letter code; SPACE between words; WILD for a hidden letter ("*"). */
  code: Uint16Array;
  /** Another letter the entry may stand for ("1" → "l"), or 0; with VOWEL_FLAG, see there. */
  alt: Uint16Array;
  /** Where the entry's character starts in the original text (UTF-16 offset); see endOf(). */
  start: Int32Array;
  /** Equal to `generation` for entries of a word joined from single letters ("f.u.c.k"). */
  joined: Uint32Array;
  generation: number;
}

/** Where the entry's character ends in the original text: one UTF-16 unit later, two for a surrogate pair. */
export function endOf(s: TextStream, k: number): number {
  const at = s.start[k]!;
  const u = s.text.charCodeAt(at);
  if (u >= 0xd800 && u <= 0xdbff) {
    const low = s.text.charCodeAt(at + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return at + 2;
  }
  return Math.min(at + 1, s.text.length);
}

export const isJoined = (s: TextStream, k: number) => s.joined[k] === s.generation;

export function grow<T extends Int32Array | Uint16Array | Uint32Array>(a: T, min: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, min));
  bigger.set(a);
  return bigger;
}
