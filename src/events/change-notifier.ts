import type { Actor } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';

/** One comment's status move, as committed (`from` null: a new comment, its first status set by the filters). */
export interface StatusMove {
  commentId: string;
  from: CommentStatus | null;
  to: CommentStatus;
  actor: Actor;
}

/** Told after a commit that changed comments: hands new events to the queue, refreshes caches, tells open queues. */
export interface ChangeNotifier {
  /**
   * `eventIds`: the outbox events the commit wrote, when known (saves the relay a lookup). `moves`: the
   * status changes it committed (the live queue announces them to every open dashboard tab of the site).
   */
  committed(change: {
    siteId: string;
    articleId: string;
    threadChanged: boolean;
    eventIds?: string[];
    moves?: StatusMove[];
  }): Promise<void>;
}
