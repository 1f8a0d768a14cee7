// Plain words for each site setting. Settings without an entry (added later) still show, with a label
// made from their name.
const SETTING_LABELS: Record<string, { label: string; help: string }> = {
  origins: {
    label: 'Allowed origins',
    help: 'One per line, e.g. https://news.example. Pages on these origins may show the comment form and post comments.',
  },
  moderation: {
    label: 'Moderation mode',
    help: 'all: hold every comment. first: hold until the author has an approved comment. none: publish what passes the filters.',
  },
  maxDepth: { label: 'Reply depth', help: 'Nesting levels on the public thread, top level included (1-10).' },
  closeAfterDays: {
    label: 'Close articles after (days)',
    help: 'Refuse new comments this many days after the first one. Empty: never.',
  },
  requireVerifiedForTrust: {
    label: 'Trust returning authors only when verified',
    help: 'In "first" mode, publish a returning author unmoderated only once they confirmed their address through a mailed link (a subscription).',
  },
  revealRejections: {
    label: 'Tell authors when a comment is rejected',
    help: 'Off: rejected and spam comments are answered as "awaiting moderation".',
  },
  spamRetentionDays: {
    label: 'Delete spam after (days)',
    help: 'Spam is deleted for good this many days after it was marked.',
  },
  eventRetentionDays: {
    label: 'Delete sent events after (days)',
    help: 'Lifecycle events, with their webhook deliveries and attempts, are deleted this many days after they were sent.',
  },
  linkLimit: { label: 'Link limit', help: 'Hold comments with this many links or more. Empty: no limit.' },
  floodIntervalSeconds: {
    label: 'Flood interval (seconds)',
    help: 'The same email or IP may post once per this many seconds (0: off).',
  },
  blockedWords: {
    label: 'Blocked words',
    help: 'One per line. Comments containing them (in name, email, text, IP or browser) are rejected.',
  },
  holdWords: { label: 'Hold words', help: 'One per line. Comments containing them are held for review.' },
  profanityAction: { label: 'Profanity', help: 'What to do with comments using words from the profanity list.' },
  profanityWords: {
    label: 'Extra profanity',
    help: 'One per line, added to the profanity list (spellings such as f*ck are caught too).',
  },
  profanityExceptions: { label: 'Profanity exceptions', help: 'One per line: words never counted as profanity.' },
  blockedEmails: { label: 'Blocked emails', help: 'One per line.' },
  blockedDomains: { label: 'Blocked email domains', help: 'One per line; subdomains are blocked too.' },
  blockedIps: { label: 'Blocked IPs', help: 'One per line: addresses or CIDR ranges such as 203.0.113.0/24.' },
  minSubmitSeconds: {
    label: 'Minimum time to write (seconds)',
    help: 'Forms sent faster than this after they were shown are spam (0: off).',
  },
  shoutingMinLetters: {
    label: 'Shouting: minimum letters',
    help: 'Hold comments mostly in capitals once they have this many letters. Empty: off.',
  },
  maxRepeatedChars: {
    label: 'Repeated characters',
    help: 'Hold comments repeating a character more than this many times in a row. Empty: off.',
  },
  spamScoreHold: {
    label: 'Learned spam score: hold at',
    help: "Hold comments the model learned from this site's decisions scores at least this high (0-1).",
  },
  spamScoreSpam: {
    label: 'Learned spam score: mark spam at',
    help: 'Mark comments spam outright from this score (0-1). Empty: never.',
  },
  spamMinDecisions: {
    label: 'Learned spam score: decisions needed',
    help: "The score counts once the site's model (or the shared base) has learned this many approve and spam decisions.",
  },
  minBodyLength: { label: 'Shortest comment (characters)', help: '' },
  maxBodyLength: { label: 'Longest comment (characters)', help: 'At most 10,000.' },
  reportQueueThreshold: {
    label: 'Reported queue at (weighted reports)',
    help: "A published comment enters the Reported queue when its readers' reports weigh this much. A new reporter weighs 0.5; reliable ones up to 1.",
  },
  reportHideThreshold: {
    label: 'Hide pending review at (weighted reports)',
    help: 'Reports weighing this much hide the comment until a moderator decides. Empty: never hide.',
  },
  notifyDailyCap: {
    label: 'Reply mails per reader per day',
    help: 'A subscriber gets at most this many reply or thread mails in 24 hours; the rest come together in one digest mail.',
  },
  notifyDigest: {
    label: 'Digest beyond the daily limit',
    help: 'hourly: a digest after each hour with notices past the limit. daily: one after each day (UTC).',
  },
};

/** Sections of the settings page, in order; settings not named here go to the last one. */
export const SETTING_GROUPS: { title: string; keys: string[] }[] = [
  { title: 'Embedding and moderation', keys: ['origins', 'moderation', 'requireVerifiedForTrust', 'revealRejections'] },
  { title: 'Thread', keys: ['maxDepth', 'closeAfterDays', 'spamRetentionDays', 'eventRetentionDays'] },
  { title: 'Words', keys: ['blockedWords', 'holdWords', 'profanityAction', 'profanityWords', 'profanityExceptions'] },
  { title: 'Block lists', keys: ['blockedEmails', 'blockedDomains', 'blockedIps'] },
  {
    title: 'Limits and heuristics',
    keys: [
      'linkLimit',
      'floodIntervalSeconds',
      'minSubmitSeconds',
      'shoutingMinLetters',
      'maxRepeatedChars',
      'minBodyLength',
      'maxBodyLength',
    ],
  },
  { title: 'Reader reports', keys: ['reportQueueThreshold', 'reportHideThreshold'] },
  { title: 'Reader mail', keys: ['notifyDailyCap', 'notifyDigest'] },
  { title: 'Learned spam score', keys: ['spamScoreHold', 'spamScoreSpam', 'spamMinDecisions'] },
  { title: 'Other settings', keys: [] },
];

export function groupOf(key: string): string {
  return (SETTING_GROUPS.find((g) => g.keys.includes(key)) ?? SETTING_GROUPS.at(-1)!).title;
}

export function settingLabel(key: string): { label: string; help: string } {
  return (
    SETTING_LABELS[key] ?? {
      label: key
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/^./, (c) => c.toUpperCase())
        .replace(/ ([A-Z])/g, (m) => m.toLowerCase()),
      help: '',
    }
  );
}
