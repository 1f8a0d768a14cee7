// Source dates in their several spellings, all read as UTC instants.

const WP_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
// A space for the T and a space before the zone: what converters and hand-edited exports write.
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ?(Z|[+-]\d{2}:?\d{2})?$/i;

function valid(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * WordPress's "YYYY-MM-DD HH:MM:SS" with no zone, read as UTC. WordPress writes
 * "0000-00-00 00:00:00" when it has no date (often comment_date_gmt of old or pending comments).
 */
export function parseWordPressDate(value: string | null | undefined): Date | null {
  const m = WP_DATE.exec(value?.trim() ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (y === 0) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2020-02-31 over into March; such a date is simply wrong.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 61 ? date : null;
}

/** ISO 8601 date-time; without a zone it is UTC (Disqus writes "2012-12-12T12:12:12"). */
export function parseIsoDate(value: string | null | undefined): Date | null {
  const text = value?.trim() ?? '';
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  // The Date parser rolls 2012-02-30 over into March; such a date is simply wrong.
  const [y, mo, d] = m[1]!.split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  const zone = m[3] ? m[3].toUpperCase() : 'Z';
  return valid(new Date(`${m[1]}T${m[2]}${/^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`));
}

/** Seconds since the epoch, fractional allowed (Isso's `created`). */
export function parseUnixSeconds(value: unknown): Date | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  return valid(new Date(Math.round(n * 1000)));
}
