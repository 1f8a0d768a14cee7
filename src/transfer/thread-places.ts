// Where recently imported comments sit in their threads (id, top-level ancestor, depth), by source
// key, so replies find their parents without a query. Bounded: the least recently used entries are
// dropped, and a reply whose parent was dropped finds it in the database (by its source key).
import type { ThreadPlace } from '../comments/import-writer.repository.ts';

export type Place = Omit<ThreadPlace, 'key'>;

export function createPlaceCache(capacity = 50_000) {
  const places = new Map<string, Place>();
  return {
    get(key: string): Place | undefined {
      const p = places.get(key);
      if (p) {
        places.delete(key);
        places.set(key, p);
      }
      return p;
    },
    has(key: string): boolean {
      return places.has(key);
    },
    set(key: string, place: Place): void {
      places.delete(key);
      places.set(key, place);
      if (places.size > capacity) places.delete(places.keys().next().value!);
    },
  };
}
