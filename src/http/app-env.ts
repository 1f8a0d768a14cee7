import type { Logger } from 'pino';
import type { Principal } from '../domain/principal.ts';

/** Variables every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Headers for the answer, added at the end (http/request-context.ts); null once a route took them. */
    responseHeaders: Record<string, string> | null;
    /** This request's logger (it carries the request id). */
    log: () => Logger;
    /** Set by the authentication middleware on moderation, admin and dashboard routes. */
    principal: Principal;
  };
}
