// Prometheus metrics. One registry per container (not the global one), so tests and several apps in
// one process never mix their numbers.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  queueCounts(): Promise<Record<string, { waiting: number; active: number; failed: number }>>;
  outboxBacklog(): Promise<number>;
  pool(): { total: number; idle: number; waiting: number } | null;
  /** Reader reports per site (src/reports: transparencyOf), read from the database on each scrape. */
  reportTransparency(): Promise<
    {
      siteId: string;
      byReason: { reason: string; open: number; upheld: number; dismissed: number }[];
      decisions: number;
      medianSecondsToDecision: number | null;
    }[]
  >;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'comments_process_' });

  const httpRequests = new Counter({
    name: 'comments_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'comments_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const commentsDecided = new Counter({
    name: 'comments_submitted_total',
    help: 'New comments by first status',
    labelNames: ['status'],
    registers: [registry],
  });
  const filterVerdicts = new Counter({
    name: 'comments_filter_verdicts_total',
    help: 'Filter verdicts on new comments by code and action',
    labelNames: ['code', 'action'],
    registers: [registry],
  });
  const filterRuns = new Counter({
    name: 'comments_filter_runs_total',
    help: 'Submissions that reached the filter pipeline (flooded and malformed ones never do)',
    registers: [registry],
  });
  const jobOutcomes = new Counter({
    name: 'comments_jobs_total',
    help: 'Background job runs by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'comments_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });

  let sources: MetricsSources | null = null;
  new Gauge({
    name: 'comments_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      if (!sources) return;
      try {
        for (const [queue, c] of Object.entries(await sources.queueCounts())) {
          for (const state of ['waiting', 'active', 'failed'] as const) this.set({ queue, state }, c[state]);
        }
      } catch {
        // queue unreachable: the gauge keeps its last values; readiness reports the outage
      }
    },
  });
  new Gauge({
    name: 'comments_outbox_backlog',
    help: 'Lifecycle events not yet handed to the queue',
    registers: [registry],
    async collect() {
      if (!sources) return;
      try {
        this.set(await sources.outboxBacklog());
      } catch {
        // database unreachable
      }
    },
  });
  new Gauge({
    name: 'comments_db_pool_connections',
    help: 'PostgreSQL pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = sources?.pool();
      if (!p) return;
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });

  // Transparency figures come from the database, not from counters in this process: several API
  // processes and restarts would each count only their share. A scrape collects every gauge at once
  // (in parallel), so the three share one query while it runs. Each gauge is cleared before it is
  // set, so a deleted site disappears; they keep their values when the database does not answer.
  type Transparency = Awaited<ReturnType<MetricsSources['reportTransparency']>>;
  let loading: Promise<Transparency> | null = null;
  const transparency = (): Promise<Transparency> | null => {
    if (!sources) return null;
    loading ??= sources.reportTransparency().finally(() => {
      loading = null;
    });
    return loading;
  };
  const fromTransparency = (set: (gauge: Gauge, sites: Transparency) => void) =>
    async function collect(this: Gauge) {
      let sites: Transparency | undefined;
      try {
        sites = await transparency()!;
      } catch {
        return; // database unreachable
      }
      if (!sites) return;
      this.reset();
      set(this, sites);
    };
  new Gauge({
    name: 'comments_reports',
    help: 'Reader reports filed, by site, reason and outcome (open, upheld, dismissed)',
    labelNames: ['site', 'reason', 'outcome'],
    registers: [registry],
    collect: fromTransparency((gauge, sites) => {
      for (const t of sites)
        for (const r of t.byReason)
          for (const outcome of ['open', 'upheld', 'dismissed'] as const)
            gauge.set({ site: t.siteId, reason: r.reason, outcome }, r[outcome]);
    }),
  });
  new Gauge({
    name: 'comments_report_decisions',
    help: "Moderators' decisions on reported comments, by site",
    labelNames: ['site'],
    registers: [registry],
    collect: fromTransparency((gauge, sites) => {
      for (const t of sites) gauge.set({ site: t.siteId }, t.decisions);
    }),
  });
  new Gauge({
    name: 'comments_report_decision_median_seconds',
    help: "Median time from a comment's first reader report to the moderator's decision, by site",
    labelNames: ['site'],
    registers: [registry],
    collect: fromTransparency((gauge, sites) => {
      for (const t of sites)
        if (t.medianSecondsToDecision !== null) gauge.set({ site: t.siteId }, t.medianSecondsToDecision);
    }),
  });

  return {
    registry,
    setSources(s: MetricsSources) {
      sources = s;
    },
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    commentDecided(status: string, reasons: { code: string; action: string }[]) {
      commentsDecided.inc({ status });
      for (const r of reasons) filterVerdicts.inc({ code: r.code, action: r.action });
    },
    filtersRun() {
      filterRuns.inc();
    },
    jobFinished(queue: string, outcome: 'completed' | 'retry' | 'failed') {
      jobOutcomes.inc({ queue, outcome });
    },
    webhookAttempt(outcome: 'delivered' | 'retry' | 'failed' | 'disabled') {
      webhookDeliveries.inc({ outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
