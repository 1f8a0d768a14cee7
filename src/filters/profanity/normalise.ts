// Comment text as the profanity matcher sees it: case, accents, full-width and look-alike letters,
// leetspeak, separators between letters, stretched letters and invisible characters all folded away,
// with a map from each folded character back to the original text (UTF-16 offsets), so a match can be
// shown where the reader wrote it.
import { endOf, isJoined, SPACE, type TextStream } from './stream.ts';
import { Tokenizer } from './tokenizer.ts';

export { ALT_LETTER, endOf, isJoined, SPACE, type TextStream, VOWEL_FLAG, WILD } from './stream.ts';

// The matcher is synchronous, so one tokenizer per process is enough and saves allocations.
const shared = new Tokenizer();

/** Builds the stream into shared buffers: valid until the next call. The hot path of the matcher. */
export function buildStream(text: string): TextStream {
  return shared.run(text);
}

export interface NormalisedText {
  /** The folded words, separated by single spaces, e.g. "fuck this" for "F.U.C.K ţhiš". */
  text: string;
  /** For each character of `text`, its span in the original string (UTF-16 offsets). */
  spans: { start: number; end: number }[];
}

/** The normalised form of a text with its map back to the original, for tests and tooling. */
export function normalise(text: string): NormalisedText {
  const s = buildStream(text);
  let out = '';
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    out += String.fromCharCode(s.code[i]!);
    spans.push({ start: s.start[i]!, end: s.code[i] === SPACE ? s.start[i]! : endOf(s, i) });
  }
  return { text: out, spans };
}

/** Normalised letter codes of a dictionary word, folded like comment text; empty when it has no letters. */
export function normaliseWord(word: string): { codes: number[]; joined: boolean } {
  const s = buildStream(word);
  const codes: number[] = [];
  let joined = s.length > 0;
  for (let i = 0; i < s.length; i++) {
    codes.push(s.code[i]!);
    if (s.code[i] !== SPACE && !isJoined(s, i)) joined = false;
  }
  return { codes, joined };
}

export const codesToString = (codes: readonly number[]) => String.fromCharCode(...codes);
