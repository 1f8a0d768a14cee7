// Mail sent over SMTP without PUBLIC_URL would carry localhost links: the start says so loudly; kept mail
// (the embedded default) and a set PUBLIC_URL say nothing.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/env.ts';
import { mailLinkWarning } from '../../../src/mail/mail-links.ts';

const warningFor = (env: Record<string, string>) => {
  const c = loadConfig(env);
  return mailLinkWarning({ ...c.mail, ...c });
};

describe('the PUBLIC_URL warning', () => {
  it('is given with SMTP_URL and no PUBLIC_URL, naming both and the localhost address links would have', () => {
    const w = warningFor({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'n@example.com', PORT: '8080' });
    expect(w).toContain('PUBLIC_URL');
    expect(w).toContain('SMTP_URL');
    expect(w).toContain('http://localhost:8080');
  });

  it('is not given for kept mail, or with PUBLIC_URL set (empty counts as unset)', () => {
    expect(warningFor({})).toBeNull();
    expect(
      warningFor({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'n@example.com', PUBLIC_URL: 'https://c.example' }),
    ).toBeNull();
    expect(
      warningFor({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'n@example.com', PUBLIC_URL: '' }),
    ).not.toBeNull();
  });
});
