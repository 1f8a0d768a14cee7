// Reader subscriptions, as verbs: record one with a new comment (unconfirmed), confirm it through the
// signed link, unsubscribe one or the whole site (RFC 8058 one-click), list and remove an address's
// subscriptions (CLI and admin API). Nothing here sends mail: workers do (subscription-mail.job.ts).
import { bindable, type DbOrTx, inTransaction } from '../db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { emailHash } from '../shared/identity.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type TokenRefusal, verifyToken } from '../shared/signed-token.ts';
import { admitNotice, type NoticeMode } from './notification.repository.ts';
import * as repo from './subscription.repository.ts';
import { PURPOSE, verifyUnsubscribe } from './subscription-links.ts';
import { markVerified, verifiedAmong } from './verified-author.repository.ts';

/** What the moderation side sees of a subscription (the address only there, never in public answers). */
interface Subscription {
  id: string;
  siteId: string;
  kind: repo.SubscriptionKind;
  commentId: string;
  articleId: string;
  email: string;
  createdAt: string;
  confirmedAt: string | null;
}

function toSubscription(r: repo.SubscriptionRow): Subscription {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    commentId: r.comment_id,
    articleId: r.article_key,
    email: r.email,
    createdAt: new Date(r.created_at).toISOString(),
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
  };
}

const REFUSALS: Record<TokenRefusal, string> = {
  malformed: 'is not a valid link',
  bad_signature: 'is not a valid link',
  wrong_purpose: 'is not a link for this',
  expired: 'has expired',
};

function refused(reason: TokenRefusal): ValidationError {
  return new ValidationError([{ path: 'token', message: REFUSALS[reason] }], `This link ${REFUSALS[reason]}.`);
}

function verbs(db: DbOrTx, secret: string) {
  return {
    /** With a new comment: an unconfirmed subscription; none for an address that asked to hear nothing more. */
    async subscribe(s: {
      siteId: string;
      kind: repo.SubscriptionKind;
      commentId: string;
      articleKey: string;
      email: string;
      name: string;
    }): Promise<string | null> {
      const hash = emailHash(secret, s.email);
      if (await repo.isSuppressed(db, s.siteId, hash)) return null;
      const id = uuidv7();
      await repo.insertSubscription(db, {
        id,
        site_id: s.siteId,
        kind: s.kind,
        comment_id: s.commentId,
        article_key: s.articleKey,
        email: s.email.trim(),
        email_hash: hash,
        name: s.name,
      });
      return id;
    },

    /** The confirming click: single use (only an unconfirmed row changes); marks the author verified. */
    async confirm(token: unknown, from: string | null, now = new Date()): Promise<Subscription> {
      const v = verifyToken(secret, token, PURPOSE.confirm, now);
      if (!v.ok) throw refused(v.reason);
      return inTransaction(db, async (tx) => {
        const row = await repo.findSubscription(tx, v.claims.subject);
        if (!row) throw new NotFoundError('This subscription no longer exists.', { code: 'subscription_gone' });
        if (!(await repo.confirmSubscription(tx, row.id, now, from)))
          throw new ConflictError('This link was already used.', { code: 'already_confirmed' });
        await markVerified(tx, row.site_id, row.email_hash, now);
        return toSubscription({ ...row, confirmed_at: now, confirmed_from: from });
      });
    },

    /**
     * One-click unsubscribe. Idempotent for a genuine link (a second POST, or a subscription erased
     * since, answers the same); a forged or foreign token is refused and changes nothing.
     */
    async unsubscribe(token: unknown): Promise<{ scope: 'subscription' | 'site'; removed: number }> {
      const { scope, result } = verifyUnsubscribe(secret, token);
      if (!result.ok) throw refused(result.reason);
      if (scope === 'subscription') return { scope, removed: await repo.deleteSubscription(db, result.claims.subject) };
      const [siteId, hash] = result.claims.subject.split('.') as [string, string];
      return inTransaction(db, async (tx) => {
        await repo.insertSuppression(tx, siteId, hash, 'unsubscribed');
        return { scope, removed: await repo.deleteSubscriptionsOfHash(tx, hash, siteId) };
      });
    },

    /** A recipient the SMTP server refused for good: stop mailing it, keeping only the hash. */
    async suppressBounced(siteId: string, hash: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        await repo.insertSuppression(tx, siteId, hash, 'bounced');
        await repo.deleteSubscriptionsOfHash(tx, hash, siteId);
      });
    },

    /**
     * The daily cap: whether the notice of a published comment goes to this recipient as a single mail
     * or waits for their digest. Decided once per recipient and comment, under a lock on the
     * recipient's subscriptions (concurrent publishes cannot both slip under the cap).
     */
    async admitNotice(
      n: { siteId: string; emailHash: string; commentId: string; subscriptionId: string; eventId: string },
      cap: number,
      now = new Date(),
    ): Promise<NoticeMode> {
      return inTransaction(db, (tx) => admitNotice(tx, n, cap, now));
    },

    async listOfAddress(email: string, siteId?: string): Promise<Subscription[]> {
      return (await repo.listSubscriptionsOfHash(db, emailHash(secret, email), siteId)).map(toSubscription);
    },

    async removeOfAddress(email: string, siteId?: string): Promise<number> {
      return repo.deleteSubscriptionsOfHash(db, emailHash(secret, email), siteId);
    },

    /** Of these author hashes, those verified on the site (dashboard card, `first`-mode trust). */
    verified(siteId: string, hashes: string[]): Promise<Set<string>> {
      return verifiedAmong(db, siteId, hashes);
    },
  };
}

export function createSubscriptionService(deps: { db: DbOrTx; secret: string }) {
  return bindable(deps.db, (db) => verbs(db, deps.secret));
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
