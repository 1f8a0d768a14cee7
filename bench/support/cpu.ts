// CPU accounting of the HTTP benchmark, per group of processes: the servers we started (by pid), the
// PostgreSQL backends serving them (pg_stat_activity of the benchmark's own database, told apart by
// application_name) and our own redis-server. Shared PostgreSQL processes (walwriter, checkpointer, …)
// are not counted: other work on the machine uses them too.
import type pg from 'pg';
import { CLK_TCK, cpuTicks } from './processes.ts';

export type Snapshot = Map<string, Map<number, number>>;

export class CpuMeter {
  private readonly pids = new Map<string, number>();
  private readonly backends = new Map<string, string>(); // application_name → group
  /** CPU ms per second each group burns doing nothing (timers, polling), once measured. */
  idle: Record<string, number> = {};

  constructor(
    private readonly admin: pg.Client,
    private readonly database: string,
  ) {}

  /** A process counted as `group`. */
  process(group: string, pid: number): void {
    this.pids.set(group, pid);
  }

  /** PostgreSQL backends of `database` whose application_name is `applicationName`, counted as `group`. */
  backend(group: string, applicationName: string): void {
    this.backends.set(applicationName, group);
  }

  async snapshot(): Promise<Snapshot> {
    const snap: Snapshot = new Map();
    const add = (group: string, pid: number) => {
      const ticks = cpuTicks(pid);
      if (ticks === null) return;
      if (!snap.has(group)) snap.set(group, new Map());
      snap.get(group)!.set(pid, ticks);
    };
    for (const [group, pid] of this.pids) add(group, pid);
    const { rows } = await this.admin.query<{ pid: number; application_name: string }>(
      "select pid, application_name from pg_stat_activity where datname = $1 and backend_type = 'client backend'",
      [this.database],
    );
    for (const row of rows) {
      const group = this.backends.get(row.application_name);
      if (group) add(group, row.pid);
    }
    return snap;
  }
}

/**
 * CPU milliseconds per group between two snapshots. A backend that appeared in between counts in full
 * (it was started for this load); one that exited in between is lost (pools keep theirs while busy).
 */
export function cpuMs(before: Snapshot, after: Snapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, pids] of after) {
    let ticks = 0;
    for (const [pid, t] of pids) ticks += t - (before.get(group)?.get(pid) ?? 0);
    out[group] = (ticks * 1000) / CLK_TCK;
  }
  return out;
}

const total = (ms: Record<string, number>) => Object.values(ms).reduce((a, b) => a + b, 0);

/** Measures the groups' idle CPU (ms per second) over `seconds`, and keeps it on the meter. */
export async function measureIdle(meter: CpuMeter, seconds: number): Promise<Record<string, number>> {
  const from = await meter.snapshot();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const ms = cpuMs(from, await meter.snapshot());
  meter.idle = Object.fromEntries(Object.entries(ms).map(([g, v]) => [g, v / seconds]));
  return meter.idle;
}

/**
 * Waits until our processes are quiet (all together within 4 % of a core of their idle rate for a
 * second, see measureIdle): the worker has
 * drained what a POST load queued, so the next round starts on an idle service. Returns the seconds waited, and
 * whether it got quiet before `maxSeconds`.
 */
export async function settle(meter: CpuMeter, maxSeconds: number): Promise<{ seconds: number; quiet: boolean }> {
  const started = performance.now();
  const idle = total(meter.idle);
  let last = await meter.snapshot();
  let lastAt = performance.now();
  while ((performance.now() - started) / 1000 < maxSeconds) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await meter.snapshot();
    const perSecond = (total(cpuMs(last, now)) * 1000) / (performance.now() - lastAt);
    last = now;
    lastAt = performance.now();
    if (perSecond < idle + 40) return { seconds: (performance.now() - started) / 1000, quiet: true };
  }
  return { seconds: (performance.now() - started) / 1000, quiet: false };
}
