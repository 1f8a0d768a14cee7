// A one-line progress display for long imports and exports, on standard error and only when it is
// a terminal (scripts and logs get the final summary instead, from the caller).
export interface ProgressSnapshot {
  /** Records done so far (comments, for imports). */
  done: number;
  /** Records expected, when known. */
  total: number | null;
  /** Input bytes read and the input's size, when reading a file. */
  bytes: number | null;
  totalBytes: number | null;
  elapsedMs: number;
  unit?: string;
}

const count = new Intl.NumberFormat('en-US');

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** "12,345 of 50,000 comments (24%) · 4,321/s · 45.2 MB of 120.0 MB · 0:03" */
export function formatProgress(p: ProgressSnapshot): string {
  const unit = p.unit ?? 'comments';
  const parts: string[] = [];
  const pct = (a: number, b: number) => ` (${Math.min(100, Math.floor((a / b) * 100))}%)`;
  parts.push(
    p.total !== null && p.total > 0
      ? `${count.format(p.done)} of ${count.format(p.total)} ${unit}${pct(p.done, p.total)}`
      : `${count.format(p.done)} ${unit}`,
  );
  const rate = p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0;
  parts.push(`${count.format(rate)}/s`);
  if (p.bytes !== null) {
    const known = p.totalBytes !== null && p.totalBytes > 0;
    parts.push(known ? `${size(p.bytes)} of ${size(p.totalBytes!)}${pct(p.bytes, p.totalBytes!)}` : size(p.bytes));
  }
  parts.push(clock(p.elapsedMs));
  return parts.join(' · ');
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  update(done: number, bytes?: number | null, totalBytes?: number | null): void;
  /** Draws the last state and ends the line. */
  finish(): void;
}

/** Redraws at most every `intervalMs`, only on a terminal. */
export function createProgress(
  stream: ProgressStream,
  options: { total?: number | null; unit?: string; intervalMs?: number; now?: () => number } = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const interval = options.intervalMs ?? 200;
  let last = Number.NEGATIVE_INFINITY;
  let state = { done: 0, bytes: null as number | null, totalBytes: null as number | null };
  const draw = () => {
    const snapshot = { ...state, total: options.total ?? null, elapsedMs: now() - started, unit: options.unit };
    stream.write(`\r${formatProgress(snapshot)}\u001b[K`);
  };
  return {
    update(done, bytes = state.bytes, totalBytes = state.totalBytes) {
      state = { done, bytes: bytes ?? null, totalBytes: totalBytes ?? null };
      if (!stream.isTTY || now() - last < interval) return;
      last = now();
      draw();
    },
    finish() {
      if (!stream.isTTY) return;
      draw();
      stream.write('\n');
    },
  };
}
