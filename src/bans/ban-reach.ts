// What a ban would hit, and the rejection of the held comments it hits: comments belong to a feature
// above this one (one writer per table), so the composition root hands the ban service this port,
// implemented over the comments' repository and the moderation transition (src/moderation/ban-reach.ts).
import type { DbOrTx, Tx } from '../db/database.ts';
import type { BanKind } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';

/** A ban's kind and match key (an email HMAC, a domain, a canonical IP or range). */
export interface BanMatch {
  kind: BanKind;
  key: string;
}

/** On one site: distinct authors (email HMACs) and comments a ban matches, and how many of those are held. */
export interface BanImpact {
  authors: number;
  comments: number;
  held: number;
}

export interface BanReach {
  impact(db: DbOrTx, siteId: string, match: BanMatch): Promise<BanImpact>;
  /**
   * Rejects the matching held comments inside `tx`, each a logged transition with its events; the
   * caller runs `afterCommit` once its transaction has committed (caches, the event relay).
   */
  rejectHeld(
    tx: Tx,
    siteId: string,
    match: BanMatch,
    actor: Actor,
    note: string,
  ): Promise<{ rejected: string[]; afterCommit: () => Promise<void> }>;
}
