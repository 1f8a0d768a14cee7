// The learned spam score (issue 16): the site's naive Bayes model, trained on its moderators'
// decisions (src/spam-learning/), scores every comment once it has learned enough of them. At or
// above `spamScoreHold` the comment is held, at or above `spamScoreSpam` marked spam; below, the
// score is still kept as a reason (an approve verdict, which never outweighs another filter), so
// moderators see it and the queue can be sorted by it.
import { actionForScore } from '../spam/spam-model.ts';
import type { TokenReason } from '../spam/spam-scorer.ts';
import type { Filter } from './filter.ts';

const percent = (n: number) => `${Math.round(n * 100)}%`;
const reason = (t: TokenReason) => ({ text: t.text, kind: t.kind, probability: t.probability });

export const learnedSpamFilter: Filter = {
  name: 'learned_spam',
  run({ comment, settings, learned }) {
    if (!learned) return null;
    const { model, emailHash } = learned;
    if (Math.max(model.siteDecisions, model.baseDecisions) < settings.spamMinDecisions) return null;
    const result = model.scorer.score({ name: comment.name, email: comment.email, body: comment.body, emailHash });
    const score = Math.round(result.score * 1e4) / 1e4;
    const action = actionForScore(score, { hold: settings.spamScoreHold, spam: settings.spamScoreSpam });
    const drivers = result.spam
      .slice(0, 3)
      .map((t) => t.text)
      .join(', ');
    return {
      action: action ?? 'approve',
      code: 'learned_spam',
      detail:
        action === null
          ? `Learned spam score ${percent(score)}, under the ${percent(settings.spamScoreHold)} that holds a comment.`
          : `Learned spam score ${percent(score)}${drivers ? ` (${drivers})` : ''}: ${action === 'spam' ? 'marked spam' : 'held for a moderator'}.`,
      data: {
        score,
        hold: settings.spamScoreHold,
        spam: settings.spamScoreSpam,
        decisions: { site: model.siteDecisions, base: model.baseDecisions },
        forSpam: result.spam.map(reason),
        forHam: result.ham.map(reason),
      },
    };
  },
};
