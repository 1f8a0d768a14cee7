// Long runs of one character ("!!!!!!!!!!!!", "sooooooooooo", "😂😂😂😂😂😂😂😂😂😂😂") are noise or
// filler to get past other checks. Spaces and digits do not count: "1000000000000" is a number.
import type { Filter } from './filter.ts';

function longestRun(text: string): { char: string; length: number; start: number; end: number } | null {
  // The best run so far as numbers: an object per longer run made "aaaa…" allocate at every character.
  let bestCp = -1;
  let bestLength = 0;
  let bestStart = 0;
  let bestEnd = 0;
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
    if (length > bestLength) {
      bestCp = cp;
      bestLength = length;
      bestStart = start;
      bestEnd = i;
    }
  }
  return bestLength === 0
    ? null
    : { char: String.fromCodePoint(bestCp), length: bestLength, start: bestStart, end: bestEnd };
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
