// What the filters see of a comment and its context (loaded before they run, so they stay pure).

import type { CommentStatus } from '../domain/comment-status.ts';
import type { ModerationMode } from '../domain/moderation-mode.ts';
import type { AuthorHistory, FilterInput, LearnedModel } from '../filters/filter.ts';
import type { SiteSettings } from '../sites/site-settings.ts';
import type { CommentInput } from './comment.schemas.ts';

export function authorHistory(
  counts: Partial<Record<CommentStatus, number>>,
  approvedUnderName: number,
): AuthorHistory {
  return {
    approved: counts.approved ?? 0,
    approvedUnderName,
    pending: counts.pending ?? 0,
    rejected: counts.rejected ?? 0,
    spam: counts.spam ?? 0,
  };
}

export function filterInput(
  input: CommentInput,
  context: {
    settings: SiteSettings;
    author: AuthorHistory;
    ip: string | null;
    userAgent: string | null;
    now: Date;
    learned?: { model: LearnedModel; emailHash: string } | null;
    articleModeration?: ModerationMode | null;
  },
): FilterInput {
  return {
    comment: {
      name: input.name,
      email: input.email,
      body: input.body,
      website: input.website ?? null,
      renderedAt: input.renderedAt ?? null,
      parentId: input.parentId ?? null,
    },
    request: { ip: context.ip, userAgent: context.userAgent },
    author: context.author,
    settings: context.settings,
    articleModeration: context.articleModeration ?? null,
    learned: context.learned ?? null,
    now: context.now.getTime(),
  };
}
