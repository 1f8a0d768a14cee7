// A filter reason without the author's data. Moderators see reasons in full: the matched words, their
// places and the text they matched, the blocked address or range. Anyone else (webhook endpoints
// without personal data) and every reason left after an erasure gets this form instead: the action,
// the code, a sentence without values, and the names of the fields that matched. Numbers that
// describe the rule (a link count, a limit, seconds) stay; every string the filter recorded goes,
// whatever filter recorded it, so a new filter cannot leak through here by forgetting a rule.

export interface RedactedReason {
  action: string;
  code: string;
  detail: string;
  /** The fields the reason is about ("body", "email"…), never what was in them. */
  fields?: string[];
  data?: Record<string, number | boolean>;
}

const SENTENCES: Record<string, string> = {
  honeypot: 'The hidden "website" field was filled in, as bots do.',
  time_trap: 'Submitted faster than people write.',
  blocked_email: "The email address is on the site's block list.",
  blocked_domain: "The email domain is on the site's block list.",
  blocked_ip: "The IP address is on the site's block list.",
  blocked_word: 'Contains blocked words.',
  hold_word: 'Contains words held for review.',
  profanity: 'Uses profanity.',
  too_many_links: 'Has many links.',
  shouting: 'Written mostly in capitals.',
  repeated_characters: 'Repeats a character many times in a row.',
  moderation_all: 'This site holds every comment for review.',
  first_comment: 'The author has no approved comment on this site yet.',
  unverified_author: 'The author has not verified their address on this site.',
  banned: 'The author is banned on this site.',
  filter_failed: 'A filter failed, so the comment waits for a moderator.',
};

/** Which field a reason's recorded data is about, by the keys filters use. */
const FIELD_OF_KEY: Record<string, string> = { email: 'email', domain: 'email', range: 'ip', links: 'body' };

function fieldsOf(data: Record<string, unknown>, already: unknown): string[] {
  // A reason redacted before keeps its fields: redacting twice changes nothing.
  const fields = new Set<string>(Array.isArray(already) ? already.filter((f) => typeof f === 'string') : []);
  if (Array.isArray(data.matches)) {
    for (const m of data.matches) {
      const field = (m as { field?: unknown } | null)?.field;
      if (typeof field === 'string') fields.add(field);
    }
  }
  if (typeof data.field === 'string') fields.add(data.field);
  for (const key of Object.keys(data)) if (FIELD_OF_KEY[key]) fields.add(FIELD_OF_KEY[key]);
  // Only names we know: a field name is ours, but a string under "field" could be anything.
  return [...fields].filter((f) => /^[a-zA-Z]{1,20}$/.test(f)).sort();
}

function numbersOf(data: Record<string, unknown>): Record<string, number | boolean> | null {
  const out: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') out[key] = value;
  }
  return Object.keys(out).length ? out : null;
}

function redactReason(reason: unknown): RedactedReason | null {
  const r = reason as { action?: unknown; code?: unknown; data?: unknown; fields?: unknown } | null;
  if (!r || typeof r.code !== 'string' || !/^[a-z0-9_]{1,64}$/.test(r.code)) return null;
  const data = r.data && typeof r.data === 'object' ? (r.data as Record<string, unknown>) : {};
  const fields = fieldsOf(data, r.fields);
  const numbers = numbersOf(data);
  return {
    action: typeof r.action === 'string' && /^[a-z]{1,20}$/.test(r.action) ? r.action : 'hold',
    code: r.code,
    detail: SENTENCES[r.code] ?? 'A rule of the site matched.',
    ...(fields.length ? { fields } : {}),
    ...(numbers ? { data: numbers } : {}),
  };
}

/** Every reason in its redacted form; entries that are not reasons at all are dropped. */
export function redactReasons(reasons: unknown): RedactedReason[] {
  if (!Array.isArray(reasons)) return [];
  return reasons.flatMap((r) => {
    const redacted = redactReason(r);
    return redacted ? [redacted] : [];
  });
}
