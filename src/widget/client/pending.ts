// The reader's own comments that moderators still hold: kept in this browser only, per article, so a
// reload still shows "awaiting moderation" to them (and to nobody else).
import type { PublicComment } from './api.ts';
import { store, stored } from './dom.ts';

const KEEP_MS = 14 * 864e5;

interface Held {
  comment: PublicComment;
  savedAt: number;
}

export function pendingStore(site: string, article: string) {
  const key = `comments:pending:${site}:${article}`;
  const fresh = () => (stored<Held[]>(key) ?? []).filter((held) => Date.now() - held.savedAt < KEEP_MS);
  return {
    list: (): PublicComment[] => fresh().map((held) => held.comment),
    add(comment: PublicComment) {
      store(key, [...fresh(), { comment, savedAt: Date.now() }]);
    },
    /** Published (or gone for good): the thread shows it to everyone now. */
    remove(ids: string[]) {
      const left = fresh().filter((held) => !ids.includes(held.comment.id));
      store(key, left.length ? left : null);
    },
  };
}
