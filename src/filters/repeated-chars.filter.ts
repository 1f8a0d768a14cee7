// Long runs of one character ("!!!!!!!!!!!!", "sooooooooooo", "😂😂😂😂😂😂😂😂😂😂😂") are noise or
// filler to get past other checks. Spaces and digits do not count: "1000000000000" is a number.
import type { Filter } from './filter.ts';

function longestRun(text: string): { char: string; length: number; start: number; end: number } | null {
  let best: { char: string; length: number; start: number; end: number } | null = null;
  let prev = -1;
  let length = 0;
  let start = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const counts = !(cp === 0x20 || cp === 0x0a || cp === 0x09 || cp === 0x0d || (cp >= 0x30 && cp <= 0x39));
    if (counts && cp === prev) {
      length++;
    } else {
      prev = counts ? cp : -1;
      length = counts ? 1 : 0;
      start = i;
    }
    i += width;
    if (length > 0 && (best === null || length > best.length))
      best = { char: String.fromCodePoint(cp), length, start, end: i };
  }
  return best;
}

export const repeatedCharsFilter: Filter = {
  name: 'repeated-chars',
  run({ comment, settings }) {
    const max = settings.maxRepeatedChars;
    if (max === null) return null;
    const run = longestRun(comment.body);
    if (run === null || run.length <= max) return null;
    return {
      action: 'hold',
      code: 'repeated_characters',
      detail: `Repeats "${run.char}" ${run.length} times in a row (this site allows ${max}).`,
      data: { ...run, field: 'body' },
    };
  },
};
