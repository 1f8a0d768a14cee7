// What one endpoint is sent of a stored event. Events are stored as the moderation side knows them
// (filter reasons in full); an endpoint without personal data gets the reasons redacted to codes and
// field names (domain/redacted-reason.ts), and one with personal data also gets the author's email,
// IP and user agent, read from the comment at delivery time (so an erased comment sends its blanks).
import type { EventPayload } from '../comments/event-payload.ts';
import { redactReasons } from '../domain/redacted-reason.ts';

export interface AuthorDetails {
  email: string;
  ip: string | null;
  user_agent: string | null;
}

export function payloadFor(
  stored: unknown,
  endpoint: { include_personal_data: boolean },
  author: AuthorDetails | null,
): EventPayload {
  const payload = structuredClone(stored) as EventPayload;
  if (!payload?.data || typeof payload.data !== 'object') return payload;
  if (!endpoint.include_personal_data) {
    // Only comment events have reasons; an import.completed event is sent as stored.
    if ('reasons' in payload.data) payload.data.reasons = redactReasons(payload.data.reasons);
    return payload;
  }
  if (author && payload.data.comment) {
    Object.assign(payload.data.comment, { email: author.email, ip: author.ip, userAgent: author.user_agent });
  }
  return payload;
}
