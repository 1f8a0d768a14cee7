// The ban service's reach into comments (see src/bans/ban-reach.ts): counting what a ban would hit, and
// rejecting the held comments it hits inside the ban's transaction, each through the same transition
// as a moderator's reject (log row, events), notified once the ban has committed.
import type { BanReach } from '../bans/ban-reach.ts';
import { banImpact, heldIdsMatching } from '../comments/ban-match.repository.ts';
import { findCommentsForUpdate } from '../comments/comment.repository.ts';
import type { ChangeNotifier } from '../events/change-notifier.ts';
import { type CommentChange, notifyArticles, transitionRow } from './comment-transitions.ts';

export function createBanReach(deps: { notifier: ChangeNotifier }): BanReach {
  return {
    impact: banImpact,
    async rejectHeld(tx, siteId, match, actor, note) {
      const ids = await heldIdsMatching(tx, siteId, match);
      // Locked, then checked again: a colleague may have decided one of them since it was read.
      const rows = (await findCommentsForUpdate(tx, ids)).filter((r) => r.status === 'pending');
      const changes: CommentChange[] = [];
      for (const row of rows) changes.push(await transitionRow(tx, row, 'rejected', actor, note));
      return {
        rejected: changes.map((c) => c.comment.id),
        afterCommit: () => notifyArticles(deps.notifier, changes),
      };
    },
  };
}
