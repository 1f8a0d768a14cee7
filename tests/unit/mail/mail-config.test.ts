import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/env.ts';

describe('mail configuration', () => {
  it('keeps mail in the database when nothing is set', () => {
    const c = loadConfig({});
    expect(c.mail).toEqual({ smtpUrl: null, from: null });
    expect(Object.isFrozen(c.mail)).toBe(true);
  });

  it('takes SMTP_URL and MAIL_FROM with a display name', () => {
    const c = loadConfig({
      SMTP_URL: 'smtps://user:p%40ss@mail.example.com:465',
      MAIL_FROM: 'Example News <noreply@example.com>',
    });
    expect(c.mail).toEqual({
      smtpUrl: 'smtps://user:p%40ss@mail.example.com:465',
      from: { name: 'Example News', address: 'noreply@example.com' },
    });
  });

  it.each([
    ['noreply@example.com', { name: null, address: 'noreply@example.com' }],
    ['<noreply@example.com>', { name: null, address: 'noreply@example.com' }],
    ['"Example, Inc." <noreply@example.com>', { name: 'Example, Inc.', address: 'noreply@example.com' }],
  ])('reads MAIL_FROM %s', (value, from) => {
    expect(loadConfig({ MAIL_FROM: value }).mail.from).toEqual(from);
  });

  it('requires MAIL_FROM with SMTP_URL, naming it', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' })).toThrow(/MAIL_FROM: required when SMTP_URL/);
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://', MAIL_FROM: 'a@example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp:mail.example.com', MAIL_FROM: 'a@example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'mail.example.com:25', MAIL_FROM: 'a@example.com' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Name Only' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'a@example.com, b@example.com' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Group: a@example.com;' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Evil <a@example.com>\r\nBcc: victim@example.com' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'a@example.com\u0000' }, 'MAIL_FROM'],
  ])('refuses %o, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('never echoes the SMTP password in its error', () => {
    try {
      loadConfig({ SMTP_URL: 'smtp://user:hunter2secret@' });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toContain('SMTP_URL');
      expect(String(err)).not.toContain('hunter2secret');
    }
  });
});

describe('mail mode', () => {
  it('describes SMTP without the password, and the kept mode plainly', async () => {
    const { describeMailMode, keptFromAddress } = await import('../../../src/mail/transport-factory.ts');
    const smtp = loadConfig({
      SMTP_URL: 'smtps://user:s3cret@mail.example.com:465',
      MAIL_FROM: 'News <n@example.com>',
    });
    expect(describeMailMode(smtp.mail)).toBe('mail: sending through SMTP at mail.example.com:465 as n@example.com');
    expect(describeMailMode(smtp.mail)).not.toContain('s3cret');
    expect(describeMailMode(loadConfig({}).mail)).toMatch(/kept in the database.*dashboard Mail page/);
    expect(keptFromAddress(loadConfig({}).mail, 'https://comments.example.com')).toEqual({
      name: null,
      address: 'noreply@comments.example.com',
    });
    expect(keptFromAddress(smtp.mail, null)).toEqual({ name: 'News', address: 'n@example.com' });
  });
});
