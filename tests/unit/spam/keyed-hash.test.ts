// The spam model's keyed hash must be HMAC-SHA256 exactly: tokens stored by earlier code (or by a
// process using node:crypto) must keep matching, and the privacy argument is HMAC's.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../../src/spam/keyed-hash.ts';
import { spamFeatureOptions } from '../../../src/spam-learning/spam-features.ts';

const reference = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');

describe('hmacSha256Hex', () => {
  // Keys shorter than, as long as and longer than a block (hashed first); messages around every
  // padding boundary (55/56 bytes, one and two blocks) and outside ASCII (UTF-8 of 2, 3 and 4 bytes).
  const secrets = ['', 'bench-secret', 'k'.repeat(64), `${'k'.repeat(65)}é`, 'ключ'];
  const messages = [
    '',
    'spam:name:reader',
    ...Array.from({ length: 140 }, (_, n) => 'a'.repeat(n)),
    ...Array.from({ length: 40 }, (_, n) => 'é😀中x'.repeat(n)),
    // ASCII up to a last character that is not (the one-block ASCII path must hand over whole).
    ...Array.from({ length: 60 }, (_, n) => `${'a'.repeat(n)}ü`),
    "\x7f\x00~ name:o'brien",
    'spam:email:Maria@Example.COM',
  ];

  it('gives createHmac("sha256")’s hex digest for every key and message', () => {
    for (const secret of secrets) {
      const mac = hmacSha256Hex(secret);
      for (const message of messages) expect(mac(message)).toBe(reference(secret, message));
    }
  });

  it('keeps no state from one message to the next', () => {
    const mac = hmacSha256Hex('bench-secret');
    const long = mac('x'.repeat(500));
    expect(mac('short')).toBe(reference('bench-secret', 'short'));
    expect(mac('x'.repeat(500))).toBe(long);
  });

  it('is what the spam model hashes names and addresses with ("spam:" + the value)', () => {
    const { hashPersonal } = spamFeatureOptions('server-secret');
    expect(hashPersonal('name:maria')).toBe(reference('server-secret', 'spam:name:maria'));
    expect(hashPersonal('name:maria')).not.toBe(spamFeatureOptions('other-secret').hashPersonal('name:maria'));
  });
});
