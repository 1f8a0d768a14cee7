// Where to highlight a held comment: the filters record matched words as
// reasons[].data.matches = [{ field, word, start, end }] (UTF-16 offsets into that field, end exclusive).
// This turns them into plain-text segments; the JSX that renders them escapes every one.

export type HighlightField = 'name' | 'email' | 'body' | 'ip' | 'userAgent';

export interface Span {
  start: number;
  end: number;
  word: string;
}

export interface Segment {
  text: string;
  /** The matched word(s) when this segment is highlighted. */
  match: string | null;
}

function isSpan(m: unknown): m is { field: string; word?: unknown; start: number; end: number } {
  const v = m as Record<string, unknown> | null;
  return !!v && typeof v.field === 'string' && Number.isInteger(v.start) && Number.isInteger(v.end);
}

/** The matches recorded on any reason for one field, valid for this text, sorted and merged where they overlap. */
export function spansFor(reasons: unknown[], field: HighlightField, text: string): Span[] {
  const spans: Span[] = [];
  for (const reason of reasons) {
    const matches = (reason as { data?: { matches?: unknown } } | null)?.data?.matches;
    if (!Array.isArray(matches)) continue;
    for (const m of matches) {
      if (!isSpan(m) || m.field !== field) continue;
      // Offsets from another version of the text (or a bug) are ignored rather than trusted.
      if (m.start < 0 || m.end > text.length || m.start >= m.end) continue;
      spans.push({
        start: m.start,
        end: m.end,
        word: typeof m.word === 'string' ? m.word : text.slice(m.start, m.end),
      });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
      if (!last.word.split(', ').includes(s.word)) last.word += `, ${s.word}`;
    } else merged.push({ ...s });
  }
  return merged;
}

function segments(text: string, spans: Span[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) out.push({ text: text.slice(at, s.start), match: null });
    out.push({ text: text.slice(s.start, s.end), match: s.word });
    at = s.end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), match: null });
  return out;
}

export function highlight(reasons: unknown[], field: HighlightField, text: string): Segment[] {
  return segments(text, spansFor(reasons, field, text));
}
