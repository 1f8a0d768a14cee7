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

const NONE = -1;
/** Children lists up to this long are scanned; longer ones are binary-searched (edges are sorted). */
const SCAN_EDGES = 8;

/**
 * Builds the trie in typed arrays: one open-addressing table of edges (node, symbol) → child, no
 * object per node, so a site list of 5,000 words of 100 letters compiles in milliseconds instead of
 * allocating half a million Maps for the garbage collector to trace.
 */
export class TrieBuilder {
  private nodes = 1;
  private terminals: Int32Array;
  private parent: Int32Array;
  private symbol: Int32Array;
  private mask: number;
  /** Slot i is slots[4i..4i+2]: parent node (NONE when free), symbol, child; one cache line per probe. */
  private slots: Int32Array;

  /** `expectedNodes`: about how many nodes the words will need (their total length), to size the arrays once. */
  constructor(expectedNodes = 64) {
    const nodes = Math.max(64, expectedNodes + 1);
    this.terminals = new Int32Array(nodes).fill(NONE);
    this.parent = new Int32Array(nodes);
    this.symbol = new Int32Array(nodes);
    let size = 128;
    while (size < 2 * nodes) size *= 2;
    this.mask = size - 1;
    this.slots = newSlots(size);
  }

  private slotOf(node: number, sym: number): number {
    return ((Math.imul(node, 0x9e3779b1) ^ Math.imul(sym + 1, 0x85ebca77)) >>> 0) & this.mask;
  }

  private child(node: number, sym: number): number {
    const slots = this.slots;
    for (let i = this.slotOf(node, sym); ; i = (i + 1) & this.mask) {
      const from = slots[4 * i]!;
      if (from === NONE) return NONE;
      if (from === node && slots[4 * i + 1] === sym) return slots[4 * i + 2]!;
    }
  }

  private insert(node: number, sym: number, child: number): void {
    const slots = this.slots;
    let i = this.slotOf(node, sym);
    while (slots[4 * i] !== NONE) i = (i + 1) & this.mask;
    slots[4 * i] = node;
    slots[4 * i + 1] = sym;
    slots[4 * i + 2] = child;
  }

  private newNode(node: number, sym: number): number {
    const child = this.nodes++;
    if (child >= this.terminals.length) {
      this.terminals = growFilled(this.terminals, NONE);
      this.parent = growFilled(this.parent, 0);
      this.symbol = growFilled(this.symbol, 0);
    }
    // Edges stay at most half the table, so probes stay short.
    if (2 * this.nodes > this.mask + 1) this.rehash();
    this.parent[child] = node;
    this.symbol[child] = sym;
    this.insert(node, sym, child);
    return child;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.slots = newSlots(size);
    for (let n = 1; n < this.nodes - 1; n++) this.insert(this.parent[n]!, this.symbol[n]!, n);
  }

  /** Adds a word; returns the entry already ending at the same node, or -1 when it is new. */
  add(symbols: readonly number[], entry: number): number {
    let node = 0;
    let fresh = false;
    for (const sym of symbols) {
      // Below a node just made there is nothing to look up.
      const next: number = fresh ? NONE : this.child(node, sym);
      fresh = next === NONE;
      node = fresh ? this.newNode(node, sym) : next;
    }
    const existing = this.terminals[node]!;
    if (existing >= 0) return existing;
    this.terminals[node] = entry;
    return -1;
  }

  build(): FlatTrie {
    const count = this.nodes;
    const edgeStart = new Int32Array(count + 1);
    for (let n = 1; n < count; n++) edgeStart[this.parent[n]! + 1]!++;
    for (let n = 0; n < count; n++) edgeStart[n + 1]! += edgeStart[n]!;
    const edgeSymbol = new Int32Array(count);
    const edgeTarget = new Int32Array(count);
    const fill = edgeStart.slice(0, count);
    for (let n = 1; n < count; n++) {
      const e = fill[this.parent[n]!]!++;
      edgeSymbol[e] = this.symbol[n]!;
      edgeTarget[e] = n;
    }
    for (let n = 0; n < count; n++) sortEdges(edgeSymbol, edgeTarget, edgeStart[n]!, edgeStart[n + 1]!);
    const rootDirect = new Int32Array(ROOT_DIRECT).fill(-1);
    for (let e = edgeStart[0]!; e < edgeStart[1]!; e++)
      if (edgeSymbol[e]! < ROOT_DIRECT) rootDirect[edgeSymbol[e]!] = edgeTarget[e]!;
    return { edgeStart, edgeSymbol, edgeTarget, rootDirect, terminal: this.terminals.slice(0, count) };
  }
}

/** Every slot free: only the parent field (NONE) marks it, and one fill is faster than a loop. */
const newSlots = (size: number) => new Int32Array(4 * size).fill(NONE);

function growFilled(a: Int32Array, value: number): Int32Array {
  const bigger = new Int32Array(a.length * 2).fill(value);
  bigger.set(a);
  return bigger;
}

/** Sorts one node's edges by symbol (insertion sort: most nodes have one or two children). */
function sortEdges(symbol: Int32Array, target: Int32Array, from: number, to: number): void {
  if (to - from > 64) {
    const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => symbol[a]! - symbol[b]!);
    const syms = order.map((e) => symbol[e]!);
    const targets = order.map((e) => target[e]!);
    symbol.set(syms, from);
    target.set(targets, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const s = symbol[i]!;
    const t = target[i]!;
    let j = i - 1;
    for (; j >= from && symbol[j]! > s; j--) {
      symbol[j + 1] = symbol[j]!;
      target[j + 1] = target[j]!;
    }
    symbol[j + 1] = s;
    target[j + 1] = t;
  }
}

export function childOf(t: FlatTrie, node: number, sym: number): number {
  if (node === 0 && sym < ROOT_DIRECT) return t.rootDirect[sym]!;
  const symbols = t.edgeSymbol;
  let lo = t.edgeStart[node]!;
  const end = t.edgeStart[node + 1]!;
  // Narrow to the first edge whose symbol is not below `sym`, then read on from there.
  let hi = end;
  while (hi - lo > SCAN_EDGES) {
    const mid = (lo + hi) >>> 1;
    if (symbols[mid]! < sym) lo = mid + 1;
    else hi = mid;
  }
  for (; lo < end && symbols[lo]! <= sym; lo++) if (symbols[lo] === sym) return t.edgeTarget[lo]!;
  return -1;
}
