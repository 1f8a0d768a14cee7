// The "mail" queue's manage-link job: mails the signed link to the address that asked, but only when
// it has comments on the site (the reader's request got the same answer either way; the mail is sent
// to the address as the author typed it in their latest comment). Job data: site id and keyed hash.
import { listCommentsOfAuthor } from '../comments/comment.repository.ts';
import type { Db } from '../db/database.ts';
import type { Job } from '../jobs/job-queue.ts';
import type { Mailer } from '../mail/mailer.ts';
import { renderMail } from '../mail/render-mail.ts';
import type { SiteService } from '../sites/site.service.ts';
import { MANAGE_TOKEN_TTL_SECONDS, manageUrl } from './manage-token.ts';

export function createManageLinkJob(deps: {
  db: Db;
  sites: SiteService;
  mailer: Mailer;
  secret: string;
  baseUrl: string;
}) {
  return async function sendManageLink(job: Job): Promise<void> {
    const siteId = String(job.data.siteId ?? '');
    const hash = String(job.data.emailHash ?? '');
    const [latest] = await listCommentsOfAuthor(deps.db, siteId, hash, 1);
    if (!latest) return;
    const site = await deps.sites.get(siteId);
    const url = manageUrl(deps.baseUrl, deps.secret, { siteId, emailHash: hash });
    await deps.mailer.deliver(
      renderMail({
        kind: 'manage_comments',
        siteId,
        siteName: site.name,
        to: { address: latest.email, name: latest.name },
        subject: `Your comments on ${site.name}`,
        heading: 'Manage your comments',
        blocks: [
          {
            type: 'paragraph',
            text: `Someone, hopefully you, asked for a link to the comments this address wrote on ${site.name}.`,
          },
          {
            type: 'paragraph',
            text: `There you can download them all, or delete one or all of them. The link works for ${MANAGE_TOKEN_TTL_SECONDS / 3600} hours; do not forward this mail.`,
          },
          { type: 'action', label: 'See my comments', url },
        ],
        footer: { reason: 'If this was not you, ignore this mail: nothing changes without your click.', links: [] },
        // One mail per job: a retried job whose mail went out sends nothing.
        dedupeKey: `manage:${job.id}`,
      }),
    );
  };
}
