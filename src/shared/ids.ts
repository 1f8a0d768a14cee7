import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 256 ids instead of one per id
// (an import makes hundreds of thousands).
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let poolAt = 0;

function random16(): Buffer {
  if (poolAt + 16 > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  // Each slice is handed out once, so the id may be written into it.
  const out = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  return out;
}

/**
 * A UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of the primary-key index. Within one
 * millisecond the 12-bit rand_a field counts up (RFC 9562 §6.2, method 1), so ids made by this process
 * sort in the order they were made: the two events of one new comment stay in order.
 */
export function uuidv7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    const r = random16();
    counter = r.readUInt16BE(0) & 0x3ff; // start low in the range, leaving room to count
  } else {
    now = lastMs; // never go back in time within this process
    counter++;
    if (counter > 0xfff) {
      lastMs = now = lastMs + 1;
      counter = 0;
    }
  }
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No flags: the OpenAPI document publishes the source of schema patterns, and a pattern cannot carry `/i`. */
export const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
