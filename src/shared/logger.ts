import pino, { type Logger } from 'pino';

/**
 * Servers log to stdout, buffered: one write per few KB instead of one per line (the request log
 * would otherwise cost a syscall per request), flushed at least every 500 ms and before exit. The CLI
 * passes stderr (fd 2), unbuffered, so its stdout stays clean for scripts.
 */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  const destination = fd === 1 ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : pino.destination(2);
  const logger = pino(
    {
      level,
      base: { service: 'comments' },
      // Personal data must never reach the logs, even when an object carrying it is logged by mistake.
      redact: {
        paths: ['email', '*.email', 'ip', '*.ip', 'password', '*.password', 'headers.cookie', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
  if (fd === 1) {
    const timer = setInterval(() => destination.flush(), 500);
    timer.unref();
    process.once('exit', () => {
      try {
        destination.flushSync();
      } catch {
        // nothing more can be done at exit
      }
    });
  }
  return logger;
}
