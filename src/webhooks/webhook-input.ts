// What an operator may set on a webhook endpoint.
import net from 'node:net';
import { z } from 'zod';
import { EVENT_TYPES } from '../domain/event-types.ts';
import { isPublicAddress } from './safe-address.ts';

export function webhookUrlSchema(allowPrivate: boolean) {
  return z
    .string()
    .max(2048)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        ctx.addIssue({ code: 'custom', message: 'must use http or https' });
      if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
      // A trailing dot is the same name, fully qualified ("localhost." is localhost).
      const host = url.hostname
        .replace(/^\[|\]$/g, '')
        .replace(/\.+$/, '')
        .toLowerCase();
      if (
        !allowPrivate &&
        (host === 'localhost' || host.endsWith('.localhost') || (net.isIP(host) && !isPublicAddress(host)))
      ) {
        ctx.addIssue({
          code: 'custom',
          message:
            'targets a private or loopback address (set WEBHOOK_ALLOW_PRIVATE=true to allow, in closed networks only)',
        });
      }
    });
}

export const eventListSchema = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length);
