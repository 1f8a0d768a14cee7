// The vocabulary of erasure: who is erased (the subject) and one step of it (erasure-steps.ts lists them).
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';

export interface ErasureSubject {
  siteId: string;
  /** The comments being erased: every copy of them (log, events, answers, deliveries) is cleared. */
  commentIds: string[];
  /**
   * Set when a whole author is erased (authors:erase): what the site keeps about the person beyond
   * their comments (block lists, bans, audit rows, mail) is cleared too. Null when one comment is
   * deleted at its author's request.
   */
  author: { email: string; emailHash: string } | null;
  /** What the erased comments held of the author, read before they were blanked, to find it elsewhere. */
  values: { names: string[]; emails: string[]; ips: string[]; userAgents: string[] };
  actor: Actor;
}

export interface ErasureStep {
  /** Names the step in the erasure's audit row ("events": 4). */
  name: string;
  /**
   * Clears what this step owns of the subject inside the erasure's transaction (all steps commit or
   * none do); returns how many rows it changed. Must be safe to run again on an erased subject.
   */
  run(tx: Tx, subject: ErasureSubject): Promise<number>;
}
