import { describe, expect, it } from 'vitest';
import { decodeCursor, decodeThreadCursor, encodeCursor, encodeThreadCursor } from '../../src/comments/cursor.ts';
import { avatarFor, escapeHtml, renderBodyHtml } from '../../src/comments/public-comment.ts';
import { decide } from '../../src/domain/verdict.ts';
import { codePointLength, textProblem } from '../../src/shared/text.ts';

describe('renderBodyHtml', () => {
  it('escapes every HTML special character', () => {
    expect(renderBodyHtml(`<img src=x onerror="alert('1')"> & co`)).toBe(
      '<p>&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co</p>',
    );
  });

  it('turns blank lines into paragraphs and single newlines into <br>', () => {
    expect(renderBodyHtml('a\nb\n\nc')).toBe('<p>a<br>b</p><p>c</p>');
  });

  it('links http(s) URLs with nofollow ugc noopener, leaving trailing punctuation out', () => {
    expect(renderBodyHtml('see https://ex.com/a?b=1&c=2.')).toBe(
      '<p>see <a href="https://ex.com/a?b=1&amp;c=2" rel="nofollow ugc noopener" target="_blank">https://ex.com/a?b=1&amp;c=2</a>.</p>',
    );
    expect(renderBodyHtml('(see https://ex.com/a?).')).toBe(
      '<p>(see <a href="https://ex.com/a" rel="nofollow ugc noopener" target="_blank">https://ex.com/a</a>?).</p>',
    );
    expect(renderBodyHtml(`https://ex.com/${'.'.repeat(5000)}x`)).toContain(`${'.'.repeat(5000)}x</a>`);
    expect(renderBodyHtml('javascript:alert(1) data:text/html,x')).not.toContain('<a');
    expect(renderBodyHtml('https://x.com/"onmouseover="alert(1)')).not.toMatch(/href="[^"]*"[^>]*onmouseover/);
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('Hello 👋 مرحبا')).toBe('Hello 👋 مرحبا');
  });
});

describe('avatarFor', () => {
  it('uses initials and a colour from the keyed hash, never the email', () => {
    const a = avatarFor('ada lovelace', 'ab12'.repeat(16));
    expect(a.initials).toBe('AL');
    expect(a.color).toMatch(/^hsl\(\d+ 55% 42%\)$/);
    expect(avatarFor('  ', '0000').initials).toBe('?');
    expect(avatarFor('😀 smile', 'ffff').initials).toBe('😀S');
  });
});

describe('cursor', () => {
  it('round-trips and refuses forgeries', () => {
    const c = { createdAt: new Date(1_700_000_000_123), id: '01000000-0000-7000-8000-000000000000' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor('not-a-cursor')).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from("1.' or 1=1--").toString('base64url'))).toThrow();
  });

  it('accepts a thread cursor only for the article and order it was signed for', () => {
    const c = { createdAt: new Date(1_700_000_000_123), id: '01000000-0000-7000-8000-000000000000' };
    const scope = { secret: 'a'.repeat(32), articleId: 'a1', sort: 'oldest' };
    const signed = encodeThreadCursor(c, scope);
    expect(decodeThreadCursor(signed, scope)).toEqual(c);
    for (const other of [{ articleId: 'a2' }, { sort: 'newest' }, { secret: 'b'.repeat(32) }])
      expect(() => decodeThreadCursor(signed, { ...scope, ...other })).toThrow(/cursor/);
    // A well-formed position without its signature, or with another position's, is made up.
    expect(() => decodeThreadCursor(encodeCursor(c), scope)).toThrow(/cursor/);
    const later = encodeCursor({ ...c, createdAt: new Date(1_700_000_000_124) });
    expect(() => decodeThreadCursor(`${later}.${signed.split('.')[1]}`, scope)).toThrow(/cursor/);
    expect(() => decodeThreadCursor(`${signed}x`.repeat(10), scope)).toThrow(/cursor/);
  });
});

describe('text rules', () => {
  it('finds NULs, lone surrogates and control characters', () => {
    expect(textProblem('ok\ttext\n', true)).toBeNull();
    expect(textProblem('a\u0000', true)).toMatch(/NUL/);
    expect(textProblem('\ud83d', true)).toMatch(/surrogate/);
    expect(textProblem('\ude00x', true)).toMatch(/surrogate/);
    expect(textProblem('😀', false)).toBeNull();
    expect(textProblem('a\nb', false)).toMatch(/control/);
    expect(textProblem('\u0085', true)).toMatch(/control/);
  });

  it('counts code points', () => {
    expect(codePointLength('😀😀')).toBe(2);
  });
});

describe('decide', () => {
  it('lets the strongest action win', () => {
    const v = (action: any) => ({ action, code: action, detail: '' });
    expect(decide([]).status).toBe('approved');
    expect(decide([v('hold'), v('approve')]).status).toBe('pending');
    expect(decide([v('hold'), v('spam'), v('reject')]).status).toBe('spam');
    expect(decide([v('reject'), v('hold')]).status).toBe('rejected');
  });
});

describe('uuidv7', () => {
  it('sorts in the order ids were made, even within one millisecond', async () => {
    const { uuidv7 } = await import('../../src/shared/ids.ts');
    const at = Date.now() + 10_000;
    const ids = Array.from({ length: 5000 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
