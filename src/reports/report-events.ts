// The events of reader reports: `comment.reported` (the comment entered the Reported queue, or reports
// hid it) and `report.resolved` (a moderator decided its reports). They carry the comment as every
// lifecycle event does and a summary of the reports: reasons, weights, score, never who reported
// (no reporter token, address, or a notice's name and email), so no endpoint receives a reporter's data.
import type { LockedComment } from '../comments/comment.repository.ts';
import { buildEventPayload } from '../comments/event-payload.ts';
import { snapshotOf } from '../comments/moderated-comment.ts';
import type { Actor } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import type { OutboxEvent } from '../events/outbox.repository.ts';
import { uuidv7 } from '../shared/ids.ts';

export function reportEvent(
  type: 'comment.reported' | 'report.resolved',
  row: LockedComment,
  status: CommentStatus,
  actor: Actor,
  report: Record<string, unknown>,
): OutboxEvent {
  const at = new Date();
  const payload = buildEventPayload({
    type,
    at,
    comment: snapshotOf(row),
    article: { externalId: row.article_external_id, url: row.article_url, title: row.article_title },
    from: status,
    to: status,
    actor,
    reasons: [],
  });
  return { id: uuidv7(at.getTime()), type, payload: { ...payload, data: { ...payload.data, report } } };
}
