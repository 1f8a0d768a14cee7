// Shouting: a comment written mostly in capitals. Short ones ("NATO and the EU") are left alone.
import type { Filter } from './filter.ts';

/** Share of capitals among cased letters from which a comment counts as shouting. */
const SHOUTING_RATIO = 0.7;

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

function countCase(text: string): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u >= 0x41 && u <= 0x5a) upper++;
    else if (u >= 0x61 && u <= 0x7a) lower++;
    else if (u >= 0x80) {
      const ch = text[i]!;
      if (UPPER.test(ch)) upper++;
      else if (LOWER.test(ch)) lower++;
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
