// Taking given values (an erased author's name, email, IP, user agent) out of free text and JSON that
// people wrote about them: a moderator's ban reason, an audit row's details. The text stays readable;
// each occurrence, in any letter case, becomes ERASED.

export const ERASED = '[erased]';

/** Values this short are only replaced where they are the whole string: inside words they are noise. */
const MIN_INSIDE_LENGTH = 3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Scrubber {
  /** The text with every value replaced; the same string when none occurs. */
  text(value: string): string;
  /** A JSON value with every string in it scrubbed (keys too); the same object when nothing changed. */
  json<T>(value: T): T;
  readonly empty: boolean;
}

export function scrubber(values: readonly (string | null | undefined)[]): Scrubber {
  const unique = [...new Set(values.map((v) => v?.trim() ?? '').filter((v) => v !== ''))];
  const whole = new Set(unique.map((v) => v.toLowerCase()));
  const inside = unique.filter((v) => v.length >= MIN_INSIDE_LENGTH).sort((a, b) => b.length - a.length);
  // Longest first, so an email is replaced whole before a name inside it.
  const pattern = inside.length ? new RegExp(inside.map(escapeRegExp).join('|'), 'giu') : null;

  function text(value: string): string {
    if (whole.has(value.trim().toLowerCase())) return ERASED;
    return pattern ? value.replace(pattern, ERASED) : value;
  }

  function json<T>(value: T): T {
    if (typeof value === 'string') return text(value) as T;
    if (Array.isArray(value)) {
      const out = value.map((v) => json(v));
      return (out.some((v, i) => v !== value[i]) ? out : value) as T;
    }
    if (value && typeof value === 'object') {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = text(k);
        const next = json(v);
        if (key !== k || next !== v) changed = true;
        out[key] = next;
      }
      return (changed ? out : value) as T;
    }
    return value;
  }

  return { text, json, empty: unique.length === 0 };
}
