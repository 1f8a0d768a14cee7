// WordPress-style word lists: each entry is plain text found anywhere in a field, ignoring case.
// One Aho-Corasick automaton per list finds every entry in a single pass, however long the list;
// entries are never turned into regular expressions.

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

export class LiteralMatcher {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Entries ending at each node (its own and, through failure links, shorter ones). */
  private readonly outputs: number[][] = [[]];
  private readonly words: string[];
  private readonly lengths: number[];

  constructor(words: readonly string[]) {
    this.words = words.filter((w) => w.length > 0);
    this.lengths = this.words.map((w) => w.length);
    this.words.forEach((word, index) => this.add(word, index));
    this.link();
  }

  get empty(): boolean {
    return this.words.length === 0;
  }

  private add(word: string, index: number): void {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const u = folded[word.charCodeAt(i)]!;
      let child = this.next[node]!.get(u);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.outputs.push([]);
        this.next[node]!.set(u, child);
      }
      node = child;
    }
    this.outputs[node]!.push(index);
  }

  private link(): void {
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [u, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(u)) f = this.fail[f]!;
        const target = this.next[f]!.get(u);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.outputs[child]!.push(...this.outputs[this.fail[child]!]!);
        queue.push(child);
      }
    }
  }

  /** Every entry found in the text (each entry once, at its first place), at most `limit`. */
  findAll(text: string, limit = 20): LiteralMatch[] {
    const out: LiteralMatch[] = [];
    if (this.empty) return out;
    const seen = new Set<number>();
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const u = folded[text.charCodeAt(i)]!;
      while (node !== 0 && !this.next[node]!.has(u)) node = this.fail[node]!;
      node = this.next[node]!.get(u) ?? 0;
      for (const index of this.outputs[node]!) {
        if (seen.has(index)) continue;
        seen.add(index);
        out.push({ word: this.words[index]!, start: i + 1 - this.lengths[index]!, end: i + 1 });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
