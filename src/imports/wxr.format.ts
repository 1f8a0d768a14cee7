// What the WXR reader and writer agree on.
import type { ImportedStatus } from './import.types.ts';

export const WXR_NAMESPACE = /^https?:\/\/wordpress\.org\/export\/(\d+\.\d+)\/?$/;

/**
 * WordPress comment_approved → our status. 1/0 are WordPress's own; "approve"/"hold" appear in
 * some third-party exporters. Trash (a moderator's removal, kept 30 days) and post-trashed
 * (the post went to the trash) are rejected: not published, kept for the record. Anything else
 * (plugins' own states) is held for review rather than guessed published.
 */
export const WXR_STATUSES: Record<string, ImportedStatus> = {
  '1': 'approved',
  approve: 'approved',
  approved: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'rejected',
  'post-trashed': 'rejected',
};
export const WXR_UNKNOWN_STATUS: ImportedStatus = 'pending';

/** Our status → comment_approved, for the writer. A deleted placeholder is trash with no content. */
export const WXR_APPROVED: Record<ImportedStatus, string> = {
  approved: '1',
  pending: '0',
  spam: 'spam',
  rejected: 'trash',
  deleted: 'trash',
};

/**
 * Comment meta our writer adds with our exact status, since WXR has no "deleted" and maps
 * "rejected" and "deleted" both to trash; our reader prefers it, so a WXR round trip keeps statuses.
 */
export const STATUS_META_KEY = 'comments_export_status';
