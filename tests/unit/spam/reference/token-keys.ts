// FROZEN COPY (tests only) of the scorer as it was before the throughput work of issue 16: the
// reference the optimised src/spam code must match score for score and token for token
// (tests/unit/spam/scorer-equivalence.test.ts). Never edited but for dropping what no test uses;
// delete it with that test.
// A token's key: two independent 32-bit hashes of its label (64 bits, so two labels of one site's
// model practically never share a key: about 1e-9 for 100,000 tokens). The tokenizer computes keys
// from character codes as it reads, without building strings; `labelKey` computes the same key from
// a stored label, so a model snapshot of labels and a comment's tokens meet in one table.

const H1_SEED = 0x811c9dc5;
const H2_SEED = 0x9747b28c;

/** The final avalanche of MurmurHash3: every input bit reaches every output bit. */
export function finish(h: number, length: number): number {
  let x = (h ^ length) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

// FNV-1a for the first half, a multiply-xorshift with another seed and constant for the second.
export const step1 = (h: number, code: number) => Math.imul(h ^ code, 0x01000193);
export const step2 = (h: number, code: number) => {
  const x = Math.imul(h ^ code, 0x5bd1e995);
  return x ^ (x >>> 15);
};
export { H1_SEED, H2_SEED };

/** The key halves of a label (a string of folded characters, or "prefix:value"). */
function labelKey(label: string): [number, number] {
  let h1 = H1_SEED;
  let h2 = H2_SEED;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    h1 = step1(h1, c);
    h2 = step2(h2, c);
  }
  return [finish(h1, label.length), finish(h2, label.length)];
}

/**
 * A comment's tokens as keys, in reusable typed arrays: scoring fills the same buffer for every
 * comment and allocates nothing per token. With `labels`, the tokenizer also writes each token's
 * label (training and explanations need them; scoring does not).
 */
export class TokenBuffer {
  count = 0;
  h1 = new Uint32Array(256);
  h2 = new Uint32Array(256);
  readonly labels: string[] | null;

  constructor(withLabels = false) {
    this.labels = withLabels ? [] : null;
  }

  clear(): void {
    this.count = 0;
    if (this.labels) this.labels.length = 0;
  }

  push(h1: number, h2: number): void {
    if (this.count === this.h1.length) this.grow();
    this.h1[this.count] = h1;
    this.h2[this.count] = h2;
    this.count++;
  }

  /** A token known by its label (the slow path: links, names, features). */
  pushLabel(label: string): void {
    const [h1, h2] = labelKey(label);
    this.push(h1, h2);
    this.labels?.push(label);
  }

  private grow(): void {
    const h1 = new Uint32Array(this.h1.length * 2);
    const h2 = new Uint32Array(this.h1.length * 2);
    h1.set(this.h1);
    h2.set(this.h2);
    this.h1 = h1;
    this.h2 = h2;
  }
}
