// A trie over runs of letters, flattened into typed arrays once, so matching allocates nothing.
//
// A word is stored as runs: "butt" is b, u, tt. A symbol is (letter code * 2 + doubled), so "tt" and
// "t" are different steps; the matcher decides which text runs may take which step (a stretched
// "ttt" may take either; a plain "t" never takes "tt", so "but" is not "butt").
import { SPACE } from './stream.ts';

export const symbolOf = (code: number, doubled: boolean) => code * 2 + (doubled ? 1 : 0);
/** Symbols below this are looked up in a table at the root: every ASCII letter, single or doubled. */
const ROOT_DIRECT = 256 * 2;

export interface FlatTrie {
  edgeStart: Int32Array;
  edgeSymbol: Int32Array;
  edgeTarget: Int32Array;
  rootDirect: Int32Array;
  /** Index of the entry a node completes, or -1. */
  terminal: Int32Array;
}

/** Runs of a normalised word, as symbols: "shitt" → s, h, i, tt (three or more count as two). */
export function toSymbols(codes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < codes.length; ) {
    let j = i + 1;
    while (j < codes.length && codes[j] === codes[i] && codes[i] !== SPACE) j++;
    out.push(symbolOf(codes[i]!, j - i >= 2));
    i = j;
  }
  return out;
}

export class TrieBuilder {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly terminals: number[] = [-1];

  /** Adds a word; returns the entry already ending at the same node, or -1 when it is new. */
  add(symbols: readonly number[], entry: number): number {
    let node = 0;
    for (const sym of symbols) {
      const kids = this.children[node]!;
      let next = kids.get(sym);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.terminals.push(-1);
        kids.set(sym, next);
      }
      node = next;
    }
    const existing = this.terminals[node]!;
    if (existing >= 0) return existing;
    this.terminals[node] = entry;
    return -1;
  }

  build(): FlatTrie {
    const count = this.children.length;
    const edgeStart = new Int32Array(count + 1);
    let edges = 0;
    for (let n = 0; n < count; n++) {
      edgeStart[n] = edges;
      edges += this.children[n]!.size;
    }
    edgeStart[count] = edges;
    const edgeSymbol = new Int32Array(edges);
    const edgeTarget = new Int32Array(edges);
    const rootDirect = new Int32Array(ROOT_DIRECT).fill(-1);
    for (let n = 0; n < count; n++) {
      let e = edgeStart[n]!;
      for (const [sym, target] of this.children[n]!) {
        edgeSymbol[e] = sym;
        edgeTarget[e] = target;
        e++;
        if (n === 0 && sym < ROOT_DIRECT) rootDirect[sym] = target;
      }
    }
    return { edgeStart, edgeSymbol, edgeTarget, rootDirect, terminal: Int32Array.from(this.terminals) };
  }
}

export function childOf(t: FlatTrie, node: number, sym: number): number {
  if (node === 0 && sym < ROOT_DIRECT) return t.rootDirect[sym]!;
  const end = t.edgeStart[node + 1]!;
  for (let e = t.edgeStart[node]!; e < end; e++) if (t.edgeSymbol[e] === sym) return t.edgeTarget[e]!;
  return -1;
}
