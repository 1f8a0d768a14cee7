// The layers of src/, bottom to top, and the rules that keep imports pointing down them. CI runs
// `npm run check:deps`: an import against these rules, a file cycle, or a folder missing from LAYERS
// fails the build. The README's "Architecture" section draws the same picture.
//
// A folder may import only itself and the folders listed BEFORE it: so imports point down, and no
// two folders can import each other. Feature folders hold their repositories, services and routes
// (the roles are checked by the role rules below), which is why http/ (plumbing every route uses)
// sits below the features.
/** @type {{ layer: string, folders: string[] }[]} */
const LAYERS = [
  { layer: 'no knowledge of the product', folders: ['config', 'shared'] },
  { layer: "the domain's vocabulary and pure rules", folders: ['domain'] },
  {
    layer: 'pure code: the spam scorer, the filters (the domain only), import parsers and export writers',
    folders: ['spam', 'filters', 'imports'],
  },
  { layer: 'data layer: row types, dialects, migrations runner', folders: ['db'] },
  {
    layer: 'infrastructure: HTTP plumbing, job queue, outbox, mail transport, metrics',
    folders: ['http', 'jobs', 'events', 'mail', 'observability'],
  },
  {
    layer: 'features: repositories, then services (verbs), then their routes',
    folders: [
      'audit',
      'sites',
      'articles',
      // Reader subscriptions and verified authors: below comments, whose submission records them.
      'subscriptions',
      'auth',
      'bans',
      'comments',
      'review',
      'moderation',
      // Reader reports: weighted by reporters' reliability; they hide comments through comments' transitions.
      'reports',
      // The learned spam model's storage, training (in the worker) and per-process snapshots.
      'spam-learning',
      'webhooks',
      // Moderator alerts read the review queue and accounts; maintenance runs their digests.
      'alerts',
      'maintenance',
      'admin',
      // Import and export: articles and comments in and out of a site, through their repositories' import writers.
      'transfer',
      // Erasure reaches every feature that keeps personal data, so it sits above them all.
      'privacy',
      // Readers' own data ("Manage my comments", an author's export): deletes through erasure.
      'readers',
    ],
  },
  { layer: 'surfaces over the services', folders: ['dashboard', 'cli', 'demo', 'widget'] },
  { layer: 'composition root and app assembly', folders: ['container.ts', 'app.ts'] },
  { layer: 'processes', folders: ['runtime'] },
  { layer: 'entry points', folders: ['bin'] },
];

const ORDER = LAYERS.flatMap((l) => l.folders);
const esc = (s) => s.replace(/[.]/g, '\\.');
const at = (folder) => (folder.endsWith('.ts') ? `^src/${esc(folder)}$` : `^src/${esc(folder)}/`);

const layerRules = ORDER.slice(0, -1).map((folder, i) => ({
  name: `layers: ${folder}`,
  comment: `src/${folder} may import only itself and what lies below it: ${ORDER.slice(0, i).join(', ') || 'nothing of ours'}.`,
  severity: 'error',
  from: { path: at(folder) },
  to: { path: ORDER.slice(i + 1).map(at) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No file cycles: a cycle means two modules are one module in two files, or a missing layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'folder-in-a-layer',
      comment: 'Every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs); add a new one there.',
      severity: 'error',
      from: { path: '^src/', pathNot: ORDER.map(at) },
      to: { path: '^src/' },
    },
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'The vocabulary is the bottom: it may use shared utilities, nothing else of ours.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/shared/'] },
    },
    {
      name: 'filters-are-pure',
      comment:
        'Filters see only the domain, the pure spam scorer and each other; whatever needs I/O is loaded before they run.',
      severity: 'error',
      from: { path: '^src/filters/' },
      to: { path: '^src/', pathNot: ['^src/filters/', '^src/domain/', '^src/spam/'] },
    },
    {
      name: 'repositories-below-services',
      comment: 'Repositories are SQL over `db` or a transaction: they never call services, routes or HTTP.',
      severity: 'error',
      from: { path: '\\.repository\\.ts$' },
      to: { path: ['\\.service\\.ts$', '\\.routes\\.tsx?$', '^src/http/'] },
    },
    {
      name: 'services-below-routes',
      comment: 'Services are verbs; routes call them, never the other way round.',
      severity: 'error',
      from: { path: '\\.service\\.ts$' },
      to: { path: ['\\.routes\\.tsx?$', '^src/http/'] },
    },
    {
      name: 'migrations-frozen-in-time',
      comment: 'Migrations run on Kysely<any> and never import app code (it will have moved on).',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^src/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/widget/client/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
