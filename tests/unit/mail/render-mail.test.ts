import { describe, expect, it } from 'vitest';
import { absoluteUrl, listUnsubscribeHeaders } from '../../../src/mail/mail-links.ts';
import { type MailTemplate, renderMail } from '../../../src/mail/render-mail.ts';
import { ValidationError } from '../../../src/shared/errors.ts';
import { compose } from './compose.ts';

const BASE = 'https://comments.example.com';
const unsubscribeUrl = absoluteUrl(BASE, '/mail/unsubscribe', { token: 'abc.def' });

function template(over: Partial<MailTemplate> = {}): MailTemplate {
  return {
    kind: 'reply',
    siteId: 'news',
    siteName: 'Example News',
    to: { name: 'Ada', address: 'ada@example.org' },
    subject: 'New reply to your comment',
    heading: 'Grace replied to your comment',
    blocks: [
      { type: 'paragraph', text: 'On "Pakistan and Kazakhstan sign an Action Plan":' },
      { type: 'quote', text: 'First line\nSecond line', attribution: 'Grace wrote' },
      { type: 'action', label: 'Read the reply', url: absoluteUrl(BASE, '/a/1', { c: 'x y&z' }) },
    ],
    footer: {
      reason: 'You asked to be told about replies to your comment.',
      links: [
        { label: 'Unsubscribe from this thread', url: unsubscribeUrl },
        { label: 'Unsubscribe from all of Example News', url: absoluteUrl(BASE, '/mail/unsubscribe-all') },
      ],
    },
    listUnsubscribe: { url: unsubscribeUrl, mailto: 'mailto:unsubscribe@example.com?subject=unsubscribe' },
    ...over,
  };
}

describe('renderMail', () => {
  it('renders a text part and an HTML part from one description, with the site name and absolute links', () => {
    const m = renderMail(template());
    expect(m.text).toContain('Example News');
    expect(m.text).toContain('Grace replied to your comment');
    expect(m.text).toContain('Grace wrote:\n> First line\n> Second line');
    expect(m.text).toContain('Read the reply:\nhttps://comments.example.com/a/1?c=x+y%26z');
    expect(m.text).toContain('\n-- \nYou asked to be told about replies to your comment.');
    expect(m.text).toContain(`Unsubscribe from this thread: ${unsubscribeUrl}`);
    expect(m.html).toMatch(/^<!doctype html><html lang="en">/);
    expect(m.html).toContain('<p style="margin:0 0 8px;color:#59636e;font-size:14px">Example News</p>');
    expect(m.html).toContain('First line<br/>Second line');
    expect(m.html).toContain('href="https://comments.example.com/a/1?c=x+y%26z"');
    expect(m.html).toContain(`href="${unsubscribeUrl}"`);
  });

  it('escapes everything interpolated into the HTML part', () => {
    const evil = '<script>alert(1)</script> & "quotes" \'single\' <img src=x onerror=alert(2)>';
    const m = renderMail(
      template({
        siteName: `<b>Site</b>`,
        subject: `Re: ${evil}`,
        heading: evil,
        blocks: [
          { type: 'paragraph', text: evil },
          { type: 'quote', text: evil, attribution: evil },
          { type: 'action', label: evil, url: absoluteUrl(BASE, '/a', { q: '"><script>' }) },
        ],
      }),
    );
    expect(m.html).not.toMatch(/<script|<img|<b>|onerror=alert\(2\)>/);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(m.html).toContain('&lt;b&gt;Site&lt;/b&gt;');
    expect(m.html).toContain('href="https://comments.example.com/a?q=%22%3E%3Cscript%3E"');
    // The text part is plain text: the same words, unescaped.
    expect(m.text).toContain(evil);
  });

  it('refuses links that are not absolute http(s) URLs', () => {
    for (const url of ['/relative', 'javascript:alert(1)', 'data:text/html,x', 'not a url']) {
      expect(() => renderMail(template({ blocks: [{ type: 'link', label: 'x', url }] })), url).toThrow();
    }
    expect(() => absoluteUrl('javascript:alert(1)', '/x')).toThrow();
  });

  it('refuses a recipient that is not exactly one address, with a ValidationError', () => {
    for (const address of [
      'a@example.org, b@example.org',
      'a@example.org\r\nBcc: b@example.org',
      'Name <a@b.org>',
      '',
    ]) {
      expect(() => renderMail(template({ to: { name: null, address } })), address).toThrow(ValidationError);
    }
  });

  it('cleans reader text for the body: NUL, controls and lone surrogates go, newlines stay', () => {
    const m = renderMail(template({ blocks: [{ type: 'paragraph', text: 'a\u0000b\u0007c\r\nd\uD800e' }] }));
    expect(m.text).toContain('abc\nd\uFFFDe');
    expect(m.html).toContain('abc<br/>d\uFFFDe');
  });

  it('adds RFC 8058 one-click unsubscribe and RFC 3834 Auto-Submitted headers', () => {
    const m = renderMail(template());
    expect(m.headers).toEqual({
      'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:unsubscribe@example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    });
    expect(renderMail(template({ listUnsubscribe: null })).headers).toEqual({ 'Auto-Submitted': 'auto-generated' });
  });
});

describe('listUnsubscribeHeaders', () => {
  it('encodes what would break the bracketed list', () => {
    const h = listUnsubscribeHeaders({ url: 'https://x.example/u?t=a,b', mailto: 'mailto:u@x.example?subject=a b,c' });
    expect(h['List-Unsubscribe']).toBe('<https://x.example/u?t=a%2Cb>, <mailto:u@x.example?subject=a%20b%2Cc>');
  });

  it('refuses a non-http URL or a non-mailto alternative', () => {
    expect(() => listUnsubscribeHeaders({ url: 'ftp://x.example/u' })).toThrow();
    expect(() => listUnsubscribeHeaders({ url: 'https://x.example/u', mailto: 'https://x.example' })).toThrow();
  });
});

describe('a composed message (nodemailer MIME, parsed back)', () => {
  it('has both parts, one From/To/Subject and the List-Unsubscribe headers', async () => {
    const { parsed, headerLines } = await compose(renderMail(template()));
    expect(parsed.text).toContain('Grace replied to your comment');
    expect(parsed.html).toContain('Grace replied to your comment');
    expect(parsed.subject).toBe('New reply to your comment');
    expect(parsed.from?.value).toEqual([{ name: 'Example News', address: 'noreply@example.com' }]);
    expect(parsed.to).toMatchObject({ value: [{ name: 'Ada', address: 'ada@example.org' }] });
    expect(headerLines('List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(parsed.headers.get('list')).toEqual({
      unsubscribe: { url: unsubscribeUrl, mail: 'unsubscribe@example.com?subject=unsubscribe' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
  });
});
