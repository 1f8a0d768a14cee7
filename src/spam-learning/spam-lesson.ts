// The lesson a comment teaches, read from its moderation log: the comment's whole history folded
// through planTraining (src/spam/training-plan.ts), so the answer depends only on the log, never
// on which events a worker saw or in what order. A deleted comment teaches nothing: deletion is at
// its author's request (erasure), and its text is gone.
import type { ModerationLogRow } from '../db/schema.ts';
import type { SpamLabel, SpamSnapshot } from '../spam/spam-counts.ts';
import { trainingDelta } from '../spam/spam-counts.ts';
import { planTraining } from '../spam/training-plan.ts';

/** Moderators (dashboard, API) and operators (CLI) decide; filters and the system do not. */
const DECIDERS = new Set(['user', 'cli']);

export function lessonFromLog(rows: readonly Pick<ModerationLogRow, 'actor_type' | 'to_status'>[]): SpamLabel | null {
  let lesson: SpamLabel | null = null;
  for (const row of rows) {
    lesson = planTraining(lesson, { to: row.to_status, byModerator: DECIDERS.has(row.actor_type) }).lesson;
  }
  return rows.at(-1)?.to_status === 'deleted' ? null : lesson;
}

/** The delta that takes a comment from what it taught to what it should teach. */
export function lessonDelta(
  from: { label: SpamLabel; tokens: readonly string[] } | null,
  to: { label: SpamLabel; tokens: readonly string[] } | null,
): SpamSnapshot {
  const parts = [
    ...(from ? [trainingDelta(from.tokens, from.label, -1)] : []),
    ...(to ? [trainingDelta(to.tokens, to.label, 1)] : []),
  ];
  const tokens = new Map<string, { spam: number; ham: number }>();
  let spamDecisions = 0;
  let hamDecisions = 0;
  for (const p of parts) {
    spamDecisions += p.spamDecisions;
    hamDecisions += p.hamDecisions;
    for (const t of p.tokens) {
      const row = tokens.get(t.token) ?? { spam: 0, ham: 0 };
      row.spam += t.spam;
      row.ham += t.ham;
      tokens.set(t.token, row);
    }
  }
  return {
    spamDecisions,
    hamDecisions,
    tokens: [...tokens]
      .filter(([, r]) => r.spam !== 0 || r.ham !== 0)
      .map(([token, r]) => ({ token, ...r }))
      .sort((a, b) => (a.token < b.token ? -1 : 1)),
  };
}
