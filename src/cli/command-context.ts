// What every command gets: the services it calls and the terminal it talks to.
import type { AdminService } from '../admin/admin.service.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import type { ArticleService } from '../articles/article.service.ts';
import type { TokenService } from '../auth/token.service.ts';
import type { UserService } from '../auth/user.service.ts';
import type { BanService } from '../bans/ban.service.ts';
import type { ProgressStream } from '../imports/progress.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ModerationService } from '../moderation/moderation.service.ts';
import type { ErasureService } from '../privacy/erasure.service.ts';
import type { ReaderData } from '../readers/reader-data.service.ts';
import type { SiteService } from '../sites/site.service.ts';
import type { SpamAdmin } from '../spam-learning/spam-admin.service.ts';
import type { SubscriptionService } from '../subscriptions/subscription.service.ts';
import type { ExportService } from '../transfer/export.service.ts';
import type { ImportService } from '../transfer/import.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, for secrets such as passwords (null when forwarded or not available). */
  readStdin?: () => Promise<string>;
  /** Where long commands draw their progress (standard error, when it is a terminal). */
  progress?: ProgressStream;
  /** Standard output as a stream, for exports of any size (else they go through `out`). */
  stdout?: NodeJS.WritableStream;
}

/** Changes to sites and webhooks go through `admin` (audit-logged as the CLI); reads use the services. */
export interface Services {
  sites: SiteService;
  /** Per-article controls: close, reopen, moderation mode. */
  articles: ArticleService;
  moderation: ModerationService;
  /** Deleting a comment at its author's request, erasing an author. */
  erasure: ErasureService;
  /** Readers' own data: an author's export. */
  readers: ReaderData;
  webhooks: WebhookService;
  /** Bans by email, domain or IP (the CLI bans as an operator: any site). */
  bans: BanService;
  users: UserService;
  tokens: TokenService;
  admin: AdminService;
  /** Imports into a site from another system's export or our own. */
  imports: ImportService;
  /** A site's articles and comments, streamed out. */
  exports: ExportService;
  /** The learned spam model: stats, retrain, reset. */
  spamAdmin: SpamAdmin;
  subscriptions: SubscriptionService;
  mailer: Mailer;
  alerts: AlertService;
  /** The public origin links in mail point to. */
  baseUrl: string;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Prints a value as JSON: easy to read, easy to pipe into jq. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
