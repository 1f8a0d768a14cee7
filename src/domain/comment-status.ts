// A comment's statuses and the moves between them. Filters choose the first status; after that,
// moderators, operators and erasure requests move a comment only along these edges.

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected', 'spam', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

const ALLOWED: Record<CommentStatus, CommentStatus[]> = {
  pending: ['approved', 'rejected', 'spam', 'deleted'],
  approved: ['rejected', 'spam', 'deleted'],
  rejected: ['approved', 'pending', 'spam', 'deleted'],
  spam: ['approved', 'pending', 'rejected', 'deleted'],
  // Deleted is final: the text and personal data are gone.
  deleted: [],
};

export function canTransition(from: CommentStatus, to: CommentStatus): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * An undo takes a decision back along the edge it came by, as a change of its own: every move above, and
 * also approved → pending (a comment published by mistake goes back to the queue, unpublished).
 */
export function canUndo(from: CommentStatus, to: CommentStatus): boolean {
  return canTransition(from, to) || (from === 'approved' && to === 'pending');
}
