import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import { MODERATION_MODES } from '../domain/moderation-mode.ts';
import { PROFANITY_ACTIONS } from '../filters/filter.ts';
import { ValidationError } from '../shared/errors.ts';
import type { SiteSettings } from '../sites/site-settings.ts';
import { type CliIo, collect, printJson, type Services } from './command-context.ts';

interface SiteOptions {
  id: string;
  name?: string;
  origin?: string[];
  removeOrigin?: string[];
  mode?: string;
  maxDepth?: string;
  closeAfterDays?: string;
  revealRejections?: boolean;
  set?: string[];
  blockWord?: string[];
  holdWord?: string[];
  blockEmail?: string[];
  blockDomain?: string[];
  blockIp?: string[];
  profanityWord?: string[];
  allowWord?: string[];
  removeBlockWord?: string[];
  removeHoldWord?: string[];
  removeBlockEmail?: string[];
  removeBlockDomain?: string[];
  removeBlockIp?: string[];
  removeProfanityWord?: string[];
  removeAllowWord?: string[];
  profanity?: string;
  linkLimit?: string;
  floodInterval?: string;
}

type ListOption = {
  [K in keyof SiteOptions]-?: SiteOptions[K] extends string[] | undefined ? K : never;
}[keyof SiteOptions];

/**
 * Repeatable flags for list settings: `--origin` adds to the site's current list, `--remove-origin` takes an
 * entry out, `--set origins='[…]'` sets the whole list (then the add and remove flags apply to that list).
 */
const LIST_FLAGS = [
  {
    add: 'origin',
    remove: 'removeOrigin',
    key: 'origins',
    flag: 'origin',
    value: '<url>',
    what: 'the allowed origins',
  },
  {
    add: 'blockWord',
    remove: 'removeBlockWord',
    key: 'blockedWords',
    flag: 'block-word',
    value: '<word>',
    what: 'the texts that reject a comment',
  },
  {
    add: 'holdWord',
    remove: 'removeHoldWord',
    key: 'holdWords',
    flag: 'hold-word',
    value: '<word>',
    what: 'the texts that hold a comment',
  },
  {
    add: 'blockEmail',
    remove: 'removeBlockEmail',
    key: 'blockedEmails',
    flag: 'block-email',
    value: '<email>',
    what: 'the blocked email addresses',
  },
  {
    add: 'blockDomain',
    remove: 'removeBlockDomain',
    key: 'blockedDomains',
    flag: 'block-domain',
    value: '<domain>',
    what: 'the blocked email domains',
  },
  {
    add: 'blockIp',
    remove: 'removeBlockIp',
    key: 'blockedIps',
    flag: 'block-ip',
    value: '<ip>',
    what: 'the blocked IP addresses and CIDR ranges',
  },
  {
    add: 'profanityWord',
    remove: 'removeProfanityWord',
    key: 'profanityWords',
    flag: 'profanity-word',
    value: '<word>',
    what: 'the profanity dictionary',
  },
  {
    add: 'allowWord',
    remove: 'removeAllowWord',
    key: 'profanityExceptions',
    flag: 'allow-word',
    value: '<word>',
    what: 'the words never counted as profanity',
  },
] as const satisfies readonly {
  add: ListOption;
  remove: ListOption;
  key: keyof SiteSettings;
  flag: string;
  value: string;
  what: string;
}[];

/** How entries compare when removing: origins by their origin ("https://A.example/x" is https://a.example), the rest ignoring case. */
function sameEntry(key: string, entry: string): string {
  if (key !== 'origins') return entry.trim().toLowerCase();
  try {
    return new URL(entry).origin;
  } catch {
    return entry.trim().toLowerCase();
  }
}

function withoutEntries(key: string, list: unknown[], removed: string[]): unknown[] {
  const present = new Set(list.map((e) => sameEntry(key, String(e))));
  const missing = removed.filter((r) => !present.has(sameEntry(key, r)));
  if (missing.length > 0)
    throw new ValidationError(missing.map((m) => ({ path: key, message: `"${m.slice(0, 100)}" is not in the list` })));
  const gone = new Set(removed.map((r) => sameEntry(key, r)));
  return list.filter((e) => !gone.has(sameEntry(key, String(e))));
}

/** `--set key=value`: value parsed as JSON when it is JSON (numbers, booleans, lists), else taken as text. */
function parseSetOptions(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new ValidationError([{ path: '--set', message: `"${pair}" is not key=value` }]);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    out[key] = value;
  }
  return out;
}

function toInt(name: string, raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none' || raw === 'never') return null;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ValidationError([{ path: name, message: `"${raw}" is not a whole number` }]);
  return n;
}

function settingsFrom(o: SiteOptions, current?: SiteSettings): Record<string, unknown> {
  const settings: Record<string, unknown> = { ...parseSetOptions(o.set ?? []) };
  for (const { add, remove, key } of LIST_FLAGS) {
    const added = o[add];
    const removed = o[remove];
    if (!added && !removed) continue;
    const given = settings[key] ?? current?.[key] ?? [];
    const base = Array.isArray(given) ? given : [given];
    settings[key] = [...withoutEntries(key, base, removed ?? []), ...(added ?? [])];
  }
  if (o.profanity) settings.profanityAction = o.profanity;
  const links = toInt('--link-limit', o.linkLimit);
  if (links !== undefined) settings.linkLimit = links;
  const flood = toInt('--flood-interval', o.floodInterval === 'off' ? '0' : o.floodInterval);
  if (flood !== undefined) settings.floodIntervalSeconds = flood;
  if (o.mode) settings.moderation = o.mode;
  const depth = toInt('--max-depth', o.maxDepth);
  if (depth !== undefined) settings.maxDepth = depth;
  const close = toInt('--close-after-days', o.closeAfterDays);
  if (close !== undefined) settings.closeAfterDays = close;
  if (o.revealRejections !== undefined) settings.revealRejections = o.revealRejections;
  return settings;
}

function siteOptions(cmd: Command, update: boolean): Command {
  for (const { flag, value, what } of LIST_FLAGS) {
    cmd.option(`--${flag} ${value}`, `add to ${what} (repeatable)`, collect);
    if (update) cmd.option(`--remove-${flag} ${value}`, `remove from ${what} (repeatable)`, collect);
  }
  return cmd
    .option('--mode <mode>', `moderation mode: ${MODERATION_MODES.join(' | ')}`)
    .option('--max-depth <n>', 'reply nesting depth on the public thread (1-10)')
    .option('--close-after-days <n>', 'close articles N days after their first comment ("never" to turn off)')
    .option('--reveal-rejections', 'tell submitters their comment was rejected (422)')
    .option('--no-reveal-rejections', 'answer rejected comments as pending (default)')
    .option('--profanity <action>', `what profanity does: ${PROFANITY_ACTIONS.join(' | ')}`)
    .option('--link-limit <n>', 'hold comments with this many links or more ("none" to turn off)')
    .option('--flood-interval <seconds>', 'one comment per author or IP per this many seconds ("off" or 0 to turn off)')
    .option(
      '--set <key=value>',
      'any site setting, e.g. --set shoutingMinLetters=40; a JSON list sets the whole list: --set origins=\'["https://a.example"]\' (repeatable)',
      collect,
    );
}

export function registerSiteCommands(program: Command, services: () => Services, io: CliIo): void {
  siteOptions(
    program
      .command('sites:create')
      .description('Create a site')
      .requiredOption('--id <id>', 'site id, used in API paths (a-z, 0-9, -, _)')
      .requiredOption('--name <name>', 'display name'),
    false,
  ).action(async (o: SiteOptions) => {
    const site = await services().admin.createSite(CLI_ACTOR, { id: o.id, name: o.name!, settings: settingsFrom(o) });
    printJson(io, site);
  });

  siteOptions(
    program
      .command('sites:update')
      .description("Update a site's name or settings")
      .requiredOption('--id <id>', 'site id')
      .option('--name <name>', 'display name'),
    true,
  ).action(async (o: SiteOptions) => {
    const current = await services().sites.get(o.id);
    const site = await services().admin.updateSite(CLI_ACTOR, o.id, {
      ...(o.name !== undefined ? { name: o.name } : {}),
      settings: settingsFrom(o, current.settings),
    });
    printJson(io, site);
  });

  program
    .command('sites:list')
    .description('List sites')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const sites = await services().sites.list();
      if (o.json) return printJson(io, sites);
      if (sites.length === 0) return io.out('No sites yet. Create one with sites:create.\n');
      for (const s of sites) {
        io.out(
          `${s.id}\t${s.name}\tmode=${s.settings.moderation}\torigins=${s.settings.origins.join(',') || '(none)'}\n`,
        );
      }
    });
}
