// A site's (or an article's) moderation mode: hold every comment, hold an author's comments until one
// is approved (WordPress's default), or publish whatever passes the filters.

export const MODERATION_MODES = ['all', 'first', 'none'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/** What an article can be set to: its own mode, or `site` to follow the site's again. */
export const ARTICLE_MODERATION_CHOICES = [...MODERATION_MODES, 'site'] as const;
export type ArticleModerationChoice = (typeof ARTICLE_MODERATION_CHOICES)[number];
