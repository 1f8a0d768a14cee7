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
  profanity?: string;
  linkLimit?: string;
  floodInterval?: string;
}

/** Repeatable flags that add entries to a list setting (on update, to the site's current list). */
const LIST_FLAGS = [
  ['blockWord', 'blockedWords'],
  ['holdWord', 'holdWords'],
  ['blockEmail', 'blockedEmails'],
  ['blockDomain', 'blockedDomains'],
  ['blockIp', 'blockedIps'],
  ['profanityWord', 'profanityWords'],
  ['allowWord', 'profanityExceptions'],
] as const satisfies readonly (readonly [keyof SiteOptions, keyof SiteSettings])[];

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
  for (const [flag, key] of LIST_FLAGS) {
    const added = o[flag];
    if (!added) continue;
    const base = settings[key] ?? current?.[key] ?? [];
    settings[key] = [...(Array.isArray(base) ? base : [base]), ...added];
  }
  if (o.profanity) settings.profanityAction = o.profanity;
  const links = toInt('--link-limit', o.linkLimit);
  if (links !== undefined) settings.linkLimit = links;
  const flood = toInt('--flood-interval', o.floodInterval === 'off' ? '0' : o.floodInterval);
  if (flood !== undefined) settings.floodIntervalSeconds = flood;
  if (o.origin) settings.origins = o.origin;
  if (o.mode) settings.moderation = o.mode;
  const depth = toInt('--max-depth', o.maxDepth);
  if (depth !== undefined) settings.maxDepth = depth;
  const close = toInt('--close-after-days', o.closeAfterDays);
  if (close !== undefined) settings.closeAfterDays = close;
  if (o.revealRejections !== undefined) settings.revealRejections = o.revealRejections;
  return settings;
}

function siteOptions(cmd: Command): Command {
  return cmd
    .option('--origin <url>', 'allowed origin (repeat for several; replaces the list on update)', collect)
    .option('--mode <mode>', `moderation mode: ${MODERATION_MODES.join(' | ')}`)
    .option('--max-depth <n>', 'reply nesting depth on the public thread (1-10)')
    .option('--close-after-days <n>', 'close articles N days after their first comment ("never" to turn off)')
    .option('--reveal-rejections', 'tell submitters their comment was rejected (422)')
    .option('--no-reveal-rejections', 'answer rejected comments as pending (default)')
    .option('--block-word <word>', 'reject comments containing this text (repeatable; adds to the list)', collect)
    .option('--hold-word <word>', 'hold comments containing this text (repeatable; adds to the list)', collect)
    .option('--block-email <email>', 'reject comments from this address (repeatable; adds to the list)', collect)
    .option('--block-domain <domain>', 'reject comments from addresses at this domain (repeatable)', collect)
    .option('--block-ip <ip>', 'reject comments from this IP address or CIDR range (repeatable)', collect)
    .option('--profanity <action>', `what profanity does: ${PROFANITY_ACTIONS.join(' | ')}`)
    .option('--profanity-word <word>', 'add a word to the profanity dictionary (repeatable)', collect)
    .option('--allow-word <word>', 'never count this word as profanity (repeatable)', collect)
    .option('--link-limit <n>', 'hold comments with this many links or more ("none" to turn off)')
    .option('--flood-interval <seconds>', 'one comment per author or IP per this many seconds ("off" or 0 to turn off)')
    .option(
      '--set <key=value>',
      'any other site setting, e.g. --set shoutingMinLetters=40; lists as JSON replace the list (repeatable)',
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
