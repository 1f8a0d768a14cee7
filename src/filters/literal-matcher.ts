// WordPress-style word lists: each entry is plain text found anywhere in a field, ignoring case.
// One Aho-Corasick automaton per list finds every entry in a single pass, however long the list;
// entries are never turned into regular expressions.
//
// Hand-written rather than taken from a package because both the build and the scan must stay linear
// for the largest list a site may save (5,000 entries of 100 characters): the automaton lives in typed
// arrays (built from the sorted list without a lookup per character, no object per node), and each
// node's output is reached through a dictionary link instead of a copied list, so nested entries ("a", "aa", … "aaa…a") cost neither a
// quadratic build nor a scan that re-reads every shorter entry at every character.

/** Lower-cases one UTF-16 unit when that keeps it one unit, so offsets stay those of the original. */
const folded = new Uint16Array(0x10000);
for (let u = 0; u < 0x10000; u++) {
  if (u >= 0xd800 && u <= 0xdfff) {
    folded[u] = u;
    continue;
  }
  const lower = String.fromCharCode(u).toLowerCase();
  folded[u] = lower.length === 1 ? lower.charCodeAt(0) : u;
}

export interface LiteralMatch {
  /** The list entry as the site wrote it. */
  word: string;
  start: number;
  end: number;
}

const NONE = -1;
const ROOT = 0;
/** Children lists up to this long are scanned; longer ones (near the root) are binary-searched. */
const SCAN_CHILDREN = 8;

const ASCII = /^[\x00-\x7f]*$/;
const CHUNK = 4096;

/** An entry folded unit by unit, as a flat string (sorting strings built by "+=" is slow). */
function foldWord(word: string): string {
  // ASCII lower-cases the same either way.
  if (ASCII.test(word)) return word.toLowerCase();
  const units = new Uint16Array(word.length);
  for (let i = 0; i < word.length; i++) units[i] = folded[word.charCodeAt(i)]!;
  let out = '';
  for (let i = 0; i < units.length; i += CHUNK) out += String.fromCharCode(...units.subarray(i, i + CHUNK));
  return out;
}

export class LiteralMatcher {
  private readonly words: string[];
  /** Node n's children are edges edgeStart[n] … edgeStart[n + 1] - 1, sorted by unit. */
  private readonly edgeStart: Int32Array;
  private readonly edgeUnit: Uint16Array;
  private readonly edgeTo: Int32Array;
  /**
   * Nodes with many children (the root and those near it, where scans and failure links keep
   * returning) also find them by ASCII unit in a table: dense[denseAt[node] + unit].
   */
  private readonly denseAt: Int32Array;
  private readonly dense: Int32Array;
  private readonly fail: Int32Array;
  /** The first entry ending at the node, and the next entry ending at the same node (same folded text). */
  private readonly own: Int32Array;
  private readonly sameNext: Int32Array;
  /** The nearest node on the failure chain (not the node itself) where an entry ends, or NONE. */
  private readonly dict: Int32Array;
  /** Nodes whose entries and dictionary chain were reported in the current scan (see findAll). */
  private readonly reported: Uint32Array;
  private scan = 0;

  constructor(words: readonly string[]) {
    this.words = words.filter((w) => w.length > 0);
    const keys = this.words.map(foldWord);
    // Sorted (stably: equal entries keep list order), each entry shares its prefix with the one
    // before, so the trie is built without looking any edge up, and every node's children come in
    // unit order.
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    let total = 1;
    for (const k of keys) total += k.length;
    const parent = new Int32Array(total);
    const unitIn = new Uint16Array(total);
    this.own = new Int32Array(total).fill(NONE);
    this.sameNext = new Int32Array(this.words.length).fill(NONE);
    const path = new Int32Array(1 + Math.max(0, ...keys.map((k) => k.length)));
    let nodes = 1;
    let previous = '';
    let previousEntry = NONE;
    for (const index of order) {
      const key = keys[index]!;
      let shared = 0;
      while (shared < key.length && shared < previous.length && key.charCodeAt(shared) === previous.charCodeAt(shared))
        shared++;
      for (let d = shared; d < key.length; d++) {
        const node = nodes++;
        parent[node] = path[d]!;
        unitIn[node] = key.charCodeAt(d);
        path[d + 1] = node;
      }
      const end = path[key.length]!;
      if (this.own[end] === NONE) this.own[end] = index;
      else this.sameNext[previousEntry] = index;
      previous = key;
      previousEntry = index;
    }
    // Edges grouped by parent (a counting sort over nodes, which were numbered in sorted order).
    this.edgeStart = new Int32Array(nodes + 1);
    for (let n = 1; n < nodes; n++) this.edgeStart[parent[n]! + 1]!++;
    for (let n = 0; n < nodes; n++) this.edgeStart[n + 1]! += this.edgeStart[n]!;
    this.edgeUnit = new Uint16Array(nodes);
    this.edgeTo = new Int32Array(nodes);
    const fill = this.edgeStart.slice(0, nodes);
    for (let n = 1; n < nodes; n++) {
      const e = fill[parent[n]!]!++;
      this.edgeUnit[e] = unitIn[n]!;
      this.edgeTo[e] = n;
    }
    this.denseAt = new Int32Array(nodes).fill(NONE);
    let tables = 0;
    for (let n = 0; n < nodes; n++)
      if (n === ROOT || this.edgeStart[n + 1]! - this.edgeStart[n]! > SCAN_CHILDREN) tables++;
    this.dense = new Int32Array(tables * 128).fill(NONE);
    for (let n = 0, at = 0; n < nodes; n++) {
      if (n !== ROOT && this.edgeStart[n + 1]! - this.edgeStart[n]! <= SCAN_CHILDREN) continue;
      this.denseAt[n] = at;
      for (let e = this.edgeStart[n]!; e < this.edgeStart[n + 1]!; e++)
        if (this.edgeUnit[e]! < 128) this.dense[at + this.edgeUnit[e]!] = this.edgeTo[e]!;
      at += 128;
    }
    this.fail = new Int32Array(nodes);
    this.dict = new Int32Array(nodes).fill(NONE);
    this.reported = new Uint32Array(nodes);
    this.link(nodes);
  }

  get empty(): boolean {
    return this.words.length === 0;
  }

  private child(node: number, u: number): number {
    const table = this.denseAt[node]!;
    if (table !== NONE && u < 128) return this.dense[table + u]!;
    const { edgeUnit } = this;
    let lo = this.edgeStart[node]!;
    const end = this.edgeStart[node + 1]!;
    // Narrow to the first child whose unit is not below `u`, then read on from there.
    let hi = end;
    while (hi - lo > SCAN_CHILDREN) {
      const mid = (lo + hi) >>> 1;
      if (edgeUnit[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    for (; lo < end && edgeUnit[lo]! <= u; lo++) if (edgeUnit[lo] === u) return this.edgeTo[lo]!;
    return NONE;
  }

  /** Failure and dictionary links, breadth-first: linear in the total length of the entries. */
  private link(nodes: number): void {
    const { fail, own, dict, edgeStart, edgeUnit, edgeTo } = this;
    const queue = new Int32Array(nodes);
    let tail = 0;
    for (let e = edgeStart[ROOT]!; e < edgeStart[ROOT + 1]!; e++) queue[tail++] = edgeTo[e]!;
    for (let head = 0; head < tail; head++) {
      const node = queue[head]!;
      for (let e = edgeStart[node]!; e < edgeStart[node + 1]!; e++) {
        const child = edgeTo[e]!;
        const u = edgeUnit[e]!;
        let f = fail[node]!;
        let target = this.child(f, u);
        while (target === NONE && f !== ROOT) {
          f = fail[f]!;
          target = this.child(f, u);
        }
        const link = target === NONE ? ROOT : target;
        fail[child] = link;
        dict[child] = own[link]! !== NONE ? link : dict[link]!;
        queue[tail++] = child;
      }
    }
  }

  private step(node: number, u: number): number {
    let n = node;
    for (;;) {
      const next = this.child(n, u);
      if (next !== NONE) return next;
      if (n === ROOT) return ROOT;
      n = this.fail[n]!;
    }
  }

  /** Every entry found in the text (each entry once, at its first place), at most `limit`. */
  findAll(text: string, limit = 20): LiteralMatch[] {
    const out: LiteralMatch[] = [];
    if (this.empty || limit <= 0) return out;
    const reported = this.reported;
    if (++this.scan === 0xffffffff) {
      reported.fill(0);
      this.scan = 1;
    }
    const scan = this.scan;
    let node = ROOT;
    for (let i = 0; i < text.length; i++) {
      node = this.step(node, folded[text.charCodeAt(i)]!);
      // Every node on a dictionary chain is visited once per scan: once reported, the rest of its
      // chain was reported with it, so the walk stops there.
      for (let o = this.own[node] !== NONE ? node : this.dict[node]!; o !== NONE && reported[o] !== scan; ) {
        reported[o] = scan;
        for (let e = this.own[o]!; e !== NONE; e = this.sameNext[e]!) {
          const word = this.words[e]!;
          out.push({ word, start: i + 1 - word.length, end: i + 1 });
          if (out.length >= limit) return out;
        }
        o = this.dict[o]!;
      }
    }
    return out;
  }
}
