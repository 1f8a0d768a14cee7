// The other candidate model, kept for the comparison in `npm run bench:spam`: online logistic
// regression on hashed tokens (the hashing trick, 2^20 weights), AdaGrad steps, one step per decision
// as a moderator makes it. Same tokens as the naive Bayes model (src/spam/features.ts), each
// present token a feature of value 1/sqrt(distinct tokens) so long messages do not saturate.
import type { TokenBuffer } from '../src/spam/token-keys.ts';

const BITS = 20;
const MASK = (1 << BITS) - 1;
const RATE = 0.5;

export class HashedLogistic {
  private readonly w = new Float32Array(1 << BITS);
  private readonly g2 = new Float32Array(1 << BITS).fill(1e-6);
  private bias = 0;
  private biasG2 = 1e-6;
  private readonly mark = new Uint32Array(1 << BITS);
  private generation = 0;
  private readonly picked = new Int32Array(1 << 16);

  private gather(tokens: TokenBuffer): number {
    this.generation++;
    let n = 0;
    for (let i = 0; i < tokens.count && n < this.picked.length; i++) {
      const j = tokens.h1[i]! & MASK;
      if (this.mark[j] === this.generation) continue;
      this.mark[j] = this.generation;
      this.picked[n++] = j;
    }
    return n;
  }

  private margin(n: number): number {
    const x = n > 0 ? 1 / Math.sqrt(n) : 0;
    let z = this.bias;
    for (let i = 0; i < n; i++) z += this.w[this.picked[i]!]! * x;
    return z;
  }

  score(tokens: TokenBuffer): number {
    return 1 / (1 + Math.exp(-this.margin(this.gather(tokens))));
  }

  /** One AdaGrad step on the log loss; `spam` is the label. */
  train(tokens: TokenBuffer, spam: boolean): void {
    const n = this.gather(tokens);
    const x = n > 0 ? 1 / Math.sqrt(n) : 0;
    const p = 1 / (1 + Math.exp(-this.margin(n)));
    const g = p - (spam ? 1 : 0);
    for (let i = 0; i < n; i++) {
      const j = this.picked[i]!;
      const gj = g * x;
      this.g2[j]! += gj * gj;
      this.w[j]! -= (RATE * gj) / Math.sqrt(this.g2[j]!);
    }
    this.biasG2 += g * g;
    this.bias -= (RATE * g) / Math.sqrt(this.biasG2);
  }
}
