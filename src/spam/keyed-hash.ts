// HMAC-SHA256 of short strings (name words, email addresses) for the spam model's personal tokens,
// written out so the keyed pads are absorbed once per secret: a value costs two SHA-256 blocks
// (one more per 64 bytes of a long value) and no object, where node:crypto's createHmac builds an
// HMAC object, copies the key and hashes both pads again for every value. The output is exactly
// createHmac('sha256', secret).update(message).digest('hex') (the unit test compares them), so
// tokens already stored keep matching, and the privacy argument is HMAC's: without the secret no
// one can recompute a token from a guessed name, and the token does not reveal the name.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
const W = new Int32Array(64);
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

/** One SHA-256 compression of the 64 bytes of `data` at `offset` into `state`. */
function compress(state: Int32Array, data: Uint8Array, offset: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Hashes the first `length` bytes of `data` (which must have room for the padding) into `state`, which already absorbed `before` bytes. */
function finishHash(state: Int32Array, data: Uint8Array, length: number, before: number): void {
  const padded = Math.ceil((length + 9) / BLOCK) * BLOCK;
  data.fill(0, length, padded);
  data[length] = 0x80;
  const bits = (length + before) * 8;
  // Values here are far below 2^32 bits; the high word of the 64-bit length stays 0.
  data[padded - 4] = (bits >>> 24) & 0xff;
  data[padded - 3] = (bits >>> 16) & 0xff;
  data[padded - 2] = (bits >>> 8) & 0xff;
  data[padded - 1] = bits & 0xff;
  for (let at = 0; at < padded; at += BLOCK) compress(state, data, at);
}

function sha256(bytes: Uint8Array): Uint8Array {
  const state = INITIAL.slice();
  const data = new Uint8Array(Math.ceil((bytes.length + 9) / BLOCK) * BLOCK);
  data.set(bytes);
  finishHash(state, data, bytes.length, 0);
  return stateBytes(state, new Uint8Array(32), 0);
}

function stateBytes(state: Int32Array, out: Uint8Array, offset: number): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const x = state[i]!;
    out[offset + i * 4] = x >>> 24;
    out[offset + i * 4 + 1] = (x >>> 16) & 0xff;
    out[offset + i * 4 + 2] = (x >>> 8) & 0xff;
    out[offset + i * 4 + 3] = x & 0xff;
  }
  return out;
}

/** HMAC-SHA256 with `secret` (UTF-8) of a message (UTF-8), as lower-case hex. */
export function hmacSha256Hex(secret: string): (message: string) => string {
  let key: Uint8Array = encoder.encode(secret);
  if (key.length > BLOCK) key = sha256(key);
  const pad = (byte: number) => {
    const block = new Uint8Array(BLOCK).fill(byte);
    for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
    const state = INITIAL.slice();
    compress(state, block, 0);
    return state;
  };
  const inner = pad(0x36);
  const outer = pad(0x5c);
  const state = new Int32Array(8);
  const outerBlock = new Uint8Array(BLOCK);
  let data = new Uint8Array(4 * BLOCK);
  return (message) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the padding at most 72 more.
    if (data.length < message.length * 3 + 2 * BLOCK) data = new Uint8Array(message.length * 3 + 2 * BLOCK);
    const { written } = encoder.encodeInto(message, data);
    state.set(inner);
    finishHash(state, data, written, BLOCK);
    stateBytes(state, outerBlock, 0);
    state.set(outer);
    finishHash(state, outerBlock, 32, BLOCK);
    let hex = '';
    for (let i = 0; i < 8; i++) {
      const x = state[i]!;
      hex += HEX[x >>> 24]! + HEX[(x >>> 16) & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[x & 0xff]!;
    }
    return hex;
  };
}
