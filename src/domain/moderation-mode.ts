// A site's (or an article's) moderation mode: hold every comment, hold an author's comments until one
// is approved (WordPress's default), or publish whatever passes the filters.

export const MODERATION_MODES = ['all', 'first', 'none'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];
