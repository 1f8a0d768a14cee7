// Filters compile site lists (word automata, IP ranges, dictionaries) once, not per comment.
// Sites are re-read every couple of seconds as new objects, so the cache looks them up first by
// identity (free) and, on a miss, by content (one JSON string), keeping a bounded number of entries.
import type { FilterSettings } from './filter.ts';

let compileCount = 0;

/** How many lists were compiled in this process, by every cache (tests check warming with it). */
export const compilations = () => compileCount;

export function compileCache<V>(
  keyOf: (settings: FilterSettings) => unknown,
  compile: (settings: FilterSettings) => V,
  maxEntries = 64,
) {
  const byIdentity = new WeakMap<FilterSettings, V>();
  const byContent = new Map<string, V>();
  return function compiled(settings: FilterSettings): V {
    const hit = byIdentity.get(settings);
    if (hit !== undefined) return hit;
    const key = JSON.stringify(keyOf(settings));
    let value = byContent.get(key);
    if (value === undefined) {
      value = compile(settings);
      compileCount++;
      if (byContent.size >= maxEntries) byContent.delete(byContent.keys().next().value!);
    } else {
      byContent.delete(key); // re-inserted below: most recently used last
    }
    byContent.set(key, value);
    byIdentity.set(settings, value);
    return value;
  };
}
