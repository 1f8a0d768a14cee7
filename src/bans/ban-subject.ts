// How an author is matched against bans: by email HMAC, by email domain (and its parent domains, so
// banning example.com also bans mail.example.com), and by IP in one canonical spelling (an IP ban is
// an address or a CIDR range, such as the /64 of an IPv6 client).
import type { BanRow } from '../db/schema.ts';
import type { Verdict } from '../domain/verdict.ts';
import { canonicalIp } from '../shared/ip-address.ts';

export interface BanSubject {
  emailHash: string;
  domains: string[];
  ip: string | null;
}

function emailDomains(email: string): string[] {
  const domain = email.trim().toLowerCase().split('@').at(-1) ?? '';
  const labels = domain.split('.').filter(Boolean);
  const out: string[] = [];
  // Every suffix with at least two labels: a.b.example.com, b.example.com, example.com.
  for (let i = 0; i + 2 <= labels.length; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export function banSubject(email: string, emailHash: string, ip: string | null): BanSubject {
  return { emailHash, domains: emailDomains(email), ip: canonicalIp(ip) };
}

export function banVerdict(ban: BanRow): Verdict {
  const until = ban.expires_at ? ` until ${ban.expires_at.toISOString()}` : '';
  return {
    action: 'reject',
    code: 'banned',
    detail: `The author is banned on this site by ${ban.kind}${until}${ban.reason ? `: ${ban.reason}` : '.'}`,
    data: { banId: ban.id, kind: ban.kind },
  };
}
