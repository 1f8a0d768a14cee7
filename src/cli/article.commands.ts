// Per-article controls at the command line: close, reopen, and the article's own moderation mode.
// Audited and announced to webhooks as the CLI, like the same changes from the dashboard or the API.
import type { Command } from 'commander';
import type { ArticleControl } from '../articles/article.service.ts';
import { CLI_ACTOR } from '../domain/actor.ts';
import { ARTICLE_MODERATION_CHOICES, type ArticleModerationChoice } from '../domain/moderation-mode.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

interface ArticleOptions {
  site: string;
  article: string;
}

export function registerArticleCommands(program: Command, services: () => Services, io: CliIo): void {
  const control = async (o: ArticleOptions, change: ArticleControl) =>
    printJson(io, await services().articles.control(CLI_ACTOR, o.site, o.article, change));

  const withIds = (cmd: Command) =>
    cmd.requiredOption('--site <id>', 'site id').requiredOption('--article <id>', "the article's id on the site");

  withIds(program.command('articles:show').description('Show an article: closed or open, its moderation mode')).action(
    async (o: ArticleOptions) => printJson(io, await services().articles.get(CLI_ACTOR, o.site, o.article)),
  );

  withIds(program.command('articles:close').description('Close an article to new comments')).action(
    (o: ArticleOptions) => control(o, { closed: true }),
  );

  withIds(
    program
      .command('articles:open')
      .description("Reopen an article (the site's close-after-days rule then leaves it open)"),
  ).action((o: ArticleOptions) => control(o, { closed: false }));

  withIds(program.command('articles:set-mode').description("Set an article's own moderation mode"))
    .requiredOption('--mode <mode>', `${ARTICLE_MODERATION_CHOICES.join(' | ')} (site: follow the site's mode)`)
    .action((o: ArticleOptions & { mode: string }) => control(o, { moderation: o.mode as ArticleModerationChoice }));
}
