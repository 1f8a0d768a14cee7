// The HTTP benchmark's table: medians over the alternating rounds, ratios to the baseline measured in the
// same rounds (the median of the per-round ratios, so a round disturbed by other load counts once).
import type { Load } from './load.ts';

/** CPU columns: each sums the listed meter groups. */
const CPU_COLUMNS = ['server', 'worker', 'postgres', 'redis'] as const;
type CpuColumn = (typeof CPU_COLUMNS)[number];

export interface Sample extends Load {
  /** CPU milliseconds per response, by meter group. */
  cpu: Record<string, number>;
}

export interface Series {
  key: string;
  name: string;
  /** Key of the series this one is compared with, round by round. */
  baseline?: string;
  cpu: Partial<Record<CpuColumn, string[]>>;
  samples: Sample[];
}

export interface Row {
  key: string;
  name: string;
  rps: number;
  ratio: number | null;
  ratioRange: [number, number] | null;
  p50: number;
  p99: number;
  p99Ratio: number | null;
  cpuMsPerRequest: Partial<Record<CpuColumn, number>>;
  bad: number;
  rounds: { rps: number; p50: number; p99: number; requests: number; bad: number; cpu: Record<string, number> }[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function rows(series: Series[]): Row[] {
  const byKey = new Map(series.map((s) => [s.key, s]));
  return series.map((s) => {
    const base = s.baseline ? byKey.get(s.baseline) : undefined;
    const paired = base ? s.samples.map((x, i) => [x, base.samples[i]!] as const).filter(([, b]) => b) : [];
    const ratios = paired.map(([x, b]) => x.rps / b.rps);
    const cpu: Partial<Record<CpuColumn, number>> = {};
    for (const col of CPU_COLUMNS) {
      const groups = s.cpu[col];
      if (groups) cpu[col] = median(s.samples.map((x) => groups.reduce((sum, g) => sum + (x.cpu[g] ?? 0), 0)));
    }
    return {
      key: s.key,
      name: s.name,
      rps: median(s.samples.map((x) => x.rps)),
      ratio: base ? median(ratios) : null,
      ratioRange: base ? [Math.min(...ratios), Math.max(...ratios)] : null,
      p50: median(s.samples.map((x) => x.p50)),
      p99: median(s.samples.map((x) => x.p99)),
      p99Ratio: base ? median(paired.map(([x, b]) => x.p99 / Math.max(b.p99, 0.001))) : null,
      cpuMsPerRequest: cpu,
      bad: s.samples.reduce((sum, x) => sum + x.bad, 0),
      rounds: s.samples.map(({ rps, p50, p99, requests, bad, cpu }) => ({ rps, p50, p99, requests, bad, cpu })),
    };
  });
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number | undefined) => (x === undefined ? '' : x < 1 ? x.toFixed(3) : x.toFixed(2));
const ratio = (r: Row) =>
  r.ratio === null ? '' : `${r.ratio.toFixed(2)} (${r.ratioRange![0].toFixed(2)}–${r.ratioRange![1].toFixed(2)})`;

export function markdown(table: Row[]): string {
  const lines = [
    '| measurement | req/s | ratio (range) | p50 ms | p99 ms | p99 ratio | CPU ms/req: server | worker | PostgreSQL | Redis | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of table) {
    const c = r.cpuMsPerRequest;
    lines.push(
      `| ${r.name} | ${int(r.rps)} | ${ratio(r)} | ${r.p50} | ${r.p99} | ${r.p99Ratio?.toFixed(2) ?? ''} | ${ms(c.server)} | ${ms(c.worker)} | ${ms(c.postgres)} | ${ms(c.redis)} | ${r.bad} |`,
    );
  }
  return lines.join('\n');
}
