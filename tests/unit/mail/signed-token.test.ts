import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIRM_TOKEN_TTL_SECONDS, signToken, tokenDigest, verifyToken } from '../../../src/shared/signed-token.ts';

const SECRET = 'a-server-secret-that-is-at-least-32-chars';
const NOW = new Date('2026-12-01T12:00:00Z');
const confirm = (subject = '0190f3a2-7b1c-7def-8abc-0123456789ab', ttlSeconds = CONFIRM_TOKEN_TTL_SECONDS) =>
  signToken(SECRET, { purpose: 'confirm', subject, ttlSeconds }, NOW);
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('signed tokens', () => {
  it('verifies a fresh token of its purpose and gives back its claims', () => {
    const token = confirm();
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(SECRET, token, 'confirm', later(60))).toEqual({
      ok: true,
      claims: {
        purpose: 'confirm',
        subject: '0190f3a2-7b1c-7def-8abc-0123456789ab',
        expiresAt: NOW.getTime() / 1000 + CONFIRM_TOKEN_TTL_SECONDS,
      },
    });
  });

  it('expires: valid one second before the end, refused at it', () => {
    const token = confirm();
    expect(verifyToken(SECRET, token, 'confirm', later(CONFIRM_TOKEN_TTL_SECONDS - 1)).ok).toBe(true);
    expect(verifyToken(SECRET, token, 'confirm', later(CONFIRM_TOKEN_TTL_SECONDS))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('is bound to its purpose: a confirm token cannot unsubscribe', () => {
    expect(verifyToken(SECRET, confirm(), 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'wrong_purpose' });
  });

  it('is bound to the secret: another server key refuses it', () => {
    expect(verifyToken(`${SECRET}-other`, confirm(), 'confirm', NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a payload re-signed by nobody: changed subject, purpose or expiry', () => {
    const [, mac] = confirm().split('.');
    for (const claims of [
      { v: 1, p: 'confirm', s: 'someone-else', e: NOW.getTime() / 1000 + 60 },
      { v: 1, p: 'unsubscribe', s: '0190f3a2-7b1c-7def-8abc-0123456789ab', e: NOW.getTime() / 1000 + 60 },
      { v: 1, p: 'confirm', s: '0190f3a2-7b1c-7def-8abc-0123456789ab', e: 9_999_999_999 },
    ]) {
      const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
      expect(verifyToken(SECRET, forged, 'confirm', NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses every single-character change of a token', () => {
    const token = confirm();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      const result = verifyToken(SECRET, tampered, 'confirm', NOW);
      expect(result.ok, `position ${i}`).toBe(false);
    }
  });

  it.each([
    ['empty', ''],
    ['truncated MAC', confirm().slice(0, -1)],
    ['no dot', confirm().replace('.', '')],
    ['two dots', `${confirm()}.x`],
    ['padding', `${confirm()}=`],
    ['non-ASCII', `${confirm().slice(0, -2)}é€`],
    ['NUL', `${confirm()}\u0000`],
    ['lone surrogate', `${confirm().slice(0, -1)}\uD800`],
    ['huge', 'A'.repeat(100_000)],
    ['SQL', "' or 1=1 --.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
  ])('refuses a malformed token (%s) as malformed', (_label, token) => {
    expect(verifyToken(SECRET, token, 'confirm', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['truncated payload', confirm().slice(5)],
    ['made-up payload and MAC', `${'x'.repeat(20)}.${'y'.repeat(43)}`],
    ['a MAC from another token', `${confirm('a').split('.')[0]}.${confirm('b').split('.')[1]}`],
  ])('refuses a well-shaped forgery (%s) as a bad signature', (_label, token) => {
    expect(verifyToken(SECRET, token, 'confirm', NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([null, undefined, 42, {}, ['a.b']])('refuses a non-string (%o) without throwing', (token) => {
    expect(verifyToken(SECRET, token, 'confirm', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never throws and never accepts arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (junk) => {
        const result = verifyToken(SECRET, junk, 'confirm', NOW);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses to sign what it could not verify', () => {
    expect(() => signToken(SECRET, { purpose: 'Confirm!', subject: 'x', ttlSeconds: 1 })).toThrow();
    expect(() => signToken(SECRET, { purpose: 'confirm', subject: 'a b', ttlSeconds: 1 })).toThrow();
    expect(() => signToken(SECRET, { purpose: 'confirm', subject: 'x', ttlSeconds: 0 })).toThrow();
  });

  it('digests tokens stably for single-use records, without revealing them', () => {
    const token = confirm();
    expect(tokenDigest(token)).toBe(tokenDigest(token));
    expect(tokenDigest(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDigest(token)).not.toBe(tokenDigest(confirm('other-subject')));
  });
});
