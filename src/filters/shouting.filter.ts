// Shouting: a comment written mostly in capitals. Short ones ("NATO and the EU") are left alone.
import type { Filter } from './filter.ts';

/** Share of capitals among cased letters from which a comment counts as shouting. */
const SHOUTING_RATIO = 0.7;

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const UNKNOWN = 0;
const IS_UPPER = 1;
const IS_LOWER = 2;
const UNCASED = 3;

/**
 * The case of each UTF-16 unit, computed the first time it is seen: two regular expression tests per
 * character made a body of Cyrillic or Greek letters cost ten times an English one.
 */
const caseOf = new Uint8Array(0x10000);
function unitCase(u: number): number {
  let c = caseOf[u]!;
  if (c === UNKNOWN) {
    const ch = String.fromCharCode(u);
    c = UPPER.test(ch) ? IS_UPPER : LOWER.test(ch) ? IS_LOWER : UNCASED;
    caseOf[u] = c;
  }
  return c;
}

function countCase(text: string): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u >= 0x41 && u <= 0x5a) upper++;
    else if (u >= 0x61 && u <= 0x7a) lower++;
    else if (u >= 0x80) {
      const c = unitCase(u);
      if (c === IS_UPPER) upper++;
      else if (c === IS_LOWER) lower++;
    }
  }
  return { upper, lower };
}

export const shoutingFilter: Filter = {
  name: 'shouting',
  run({ comment, settings }) {
    const min = settings.shoutingMinLetters;
    if (min === null) return null;
    const { upper, lower } = countCase(comment.body);
    const letters = upper + lower;
    if (letters < min || upper / letters < SHOUTING_RATIO) return null;
    const percent = Math.round((upper / letters) * 100);
    return {
      action: 'hold',
      code: 'shouting',
      detail: `Written mostly in capitals (${percent}% of ${letters} letters).`,
      data: { upper, letters },
    };
  },
};
