import { describe, expect, it } from 'vitest';
import { formatMailbox, headerText, mailAddress, subjectText } from '../../../src/mail/header-safety.ts';
import { renderMail } from '../../../src/mail/render-mail.ts';
import { ValidationError } from '../../../src/shared/errors.ts';
import { compose } from './compose.ts';

const HOSTILE_NAMES = [
  'Evil\r\nBcc: victim@example.com',
  'Evil\nBcc: victim@example.com',
  'Evil\rBcc: victim@example.com',
  'Evil\u0000\r\n\r\n<html>body injection',
  'Evil", <attacker@example.com>',
  'a@b.com, c@d.com',
  '<attacker@example.com>',
  '"; Bcc: victim@example.com',
  'Evil\\" <x@y.z>',
  '=?UTF-8?B?QmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=',
  'Ünïcödé 名前 👩‍💻',
  'bidi \u202Eevil\u202C and zero\uFEFFwidth',
  'line\u2028separator\u2029paragraph',
  'lone \uD800 surrogate',
  'x'.repeat(5_000),
];

const HOSTILE_SUBJECTS = [
  'Hello\r\nBcc: victim@example.com',
  'Hello\r\n\r\nInjected body',
  'Hello\nContent-Type: text/html',
  'Hello\u0085next line (NEL)',
  'Re: \u0000\u0001\u001f\u007f',
  '=?UTF-8?Q?encoded=0D=0ABcc=3A_x?=',
  'Ünïcödé Betreff – ✉️',
  'y'.repeat(5_000),
];

function message(name: string, subject: string) {
  return renderMail({
    kind: 'reply',
    siteId: 'news',
    siteName: name,
    to: { name, address: 'reader@example.org' },
    subject,
    heading: subject,
    blocks: [{ type: 'paragraph', text: `${name} replied` }],
  });
}

describe('header text', () => {
  it('strips line breaks and controls, collapses space, bounds the length', () => {
    expect(headerText('a\r\nb\u0000c\td', 100)).toBe('a b c d');
    expect(headerText('  many    spaces  ', 100)).toBe('many spaces');
    expect(headerText('\u202Eabc\u2066', 100)).toBe('abc');
    expect([...subjectText('é'.repeat(500))]).toHaveLength(200);
    // A cut never splits a surrogate pair.
    expect(headerText('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    // Looks like an encoded word: broken up so it is shown literally, never decoded by the client.
    expect(headerText('=?UTF-8?B?QmNj?=', 100)).toBe('=\u2060?UTF-8?B?QmNj?=');
  });

  it('formats a mailbox with the display name quoted when it must be', () => {
    expect(formatMailbox({ name: null, address: 'a@example.com' })).toBe('a@example.com');
    expect(formatMailbox({ name: 'Ada', address: 'a@example.com' })).toBe('Ada <a@example.com>');
    expect(formatMailbox({ name: 'Evil", <x@y.z>', address: 'a@example.com' })).toBe(
      '"Evil\\", <x@y.z>" <a@example.com>',
    );
  });

  it.each([
    'a@example.com\r\nBcc: v@example.com',
    'a@example.com, v@example.com',
    'Name <a@example.com>',
    'a@example.com\u0000',
    'no-at-sign',
    `${'a'.repeat(250)}@example.com`,
  ])('refuses the address %j with a ValidationError', (address) => {
    expect(() => mailAddress(address)).toThrow(ValidationError);
  });
});

describe('hostile names and subjects in a composed message', () => {
  it.each(HOSTILE_NAMES)('name %j: one From, one To, no Bcc/Cc, the right addresses', async (name) => {
    const { parsed, headerLines, head } = await compose(message(name, 'A reply'));
    for (const h of ['From', 'To', 'Subject', 'Content-Type', 'MIME-Version'])
      expect(headerLines(h), h).toHaveLength(1);
    for (const h of ['Bcc', 'Cc', 'Reply-To', 'Sender']) expect(headerLines(h), h).toHaveLength(0);
    expect(parsed.from?.value).toHaveLength(1);
    expect(parsed.from?.value[0]?.address).toBe('noreply@example.com');
    expect(parsed.to).toMatchObject({ value: [{ address: 'reader@example.org' }] });
    expect((parsed.to as { value: unknown[] }).value).toHaveLength(1);
    expect(parsed.bcc).toBeUndefined();
    // Every header line is ASCII (non-ASCII is RFC 2047-encoded by nodemailer).
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    // The name arrives as text, cleaned of what cannot be in a header.
    const shown = parsed.from?.value[0]?.name ?? '';
    expect(shown).not.toMatch(/[\r\n\u0000\u202E\u2028]/);
    expect(shown).toBe(headerText(name, 100));
  });

  it.each(HOSTILE_SUBJECTS)('subject %j: one Subject header, nothing injected', async (subject) => {
    const { parsed, headerLines } = await compose(message('Ada', subject));
    expect(headerLines('Subject')).toHaveLength(1);
    for (const h of ['Bcc', 'Cc']) expect(headerLines(h)).toHaveLength(0);
    expect(headerLines('Content-Type')).toHaveLength(1);
    expect(parsed.subject).toBe(subjectText(subject));
    expect(parsed.subject).not.toMatch(/[\r\n\u0000\u0085]/);
    expect(parsed.text?.split('\n')[2]).toBe(subjectText(subject));
  });
});
