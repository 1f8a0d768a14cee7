// Reads a server-sent event stream from the app (in process, as the dashboard's EventSource would get
// it): each `event:`/`data:` block parsed, comment lines (heartbeats) counted, waits bounded by a deadline.
import type { TestContext } from './test-app.ts';

export interface SseEvent {
  event: string;
  data: string;
  /** The event's `id:` (what EventSource would send back as Last-Event-ID), when it has one. */
  id?: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body when the answer is not a stream (errors). */
  text: string;
  /** The next event matching `match` (earlier ones that do not match are kept for later calls). */
  next(match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Comment lines (heartbeats) received so far. */
  heartbeats(): number;
  /** Resolves once the server has ended the stream. */
  ended(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** `target`: the app in this process, or a running server's base URL. */
export async function openStream(
  target: TestContext | string,
  path: string,
  cookie: string | null,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const init = { headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}), ...headers } };
  const res =
    typeof target === 'string'
      ? await fetch(`${target}${path}`, init)
      : await target.app.request(`http://localhost${path}`, init);
  const isStream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const text = isStream ? '' : await res.text();
  const reader = isStream ? res.body!.getReader() : null;
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  let heartbeats = 0;
  let done = !isStream;
  let wake = (): void => {};

  // One reader loop for the stream's life: blocks split on blank lines.
  void (async () => {
    while (reader && !done) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.split('\n').some((l) => l.startsWith(':'))) heartbeats += 1;
        const lines = block.split('\n').filter((l) => !l.startsWith(':'));
        if (lines.length > 0) {
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
          events.push({ event, data, ...(id !== undefined ? { id } : {}) });
        }
        cut = buffer.indexOf('\n\n');
      }
      wake();
    }
    done = true;
    wake();
  })();

  async function until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = found();
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  return {
    status: res.status,
    headers: res.headers,
    text,
    next(match = () => true, timeoutMs = 5_000) {
      return until(
        () => {
          const i = events.findIndex(match);
          return i >= 0 ? events.splice(i, 1)[0] : undefined;
        },
        timeoutMs,
        'matching event',
      );
    },
    heartbeats: () => heartbeats,
    ended(timeoutMs = 5_000) {
      return until(() => (done ? true : undefined), timeoutMs, 'end of stream').then(() => {});
    },
    async close() {
      done = true;
      await reader?.cancel().catch(() => {});
    },
  };
}
