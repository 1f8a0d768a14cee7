import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

// Loaded only for a terminal: JSON processes (production, tests) do not pay for the formatter.
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/**
 * Servers log JSON to stdout, buffered: one write per few KB instead of one per line (the request log
 * would otherwise cost a syscall per request), flushed at least every 500 ms and before exit. `pretty`
 * (an operator at a terminal) writes readable lines instead, unbuffered, formatted in-process by
 * pino-pretty. The CLI passes stderr (fd 2), unbuffered, so its stdout stays clean for scripts.
 */
export function createLogger(level: string, fd: 1 | 2 = 1, format: 'json' | 'pretty' = 'json'): Logger {
  if (format === 'pretty') {
    const stream = loadPretty()({
      destination: fd,
      sync: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
    });
    return pino(loggerOptions(level), stream);
  }
  const destination = fd === 1 ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : pino.destination(2);
  const logger = pino(loggerOptions(level), destination);
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

export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    base: { service: 'comments' },
    // Personal data must never reach the logs, even when an object carrying it is logged by mistake.
    redact: {
      paths: ['email', '*.email', 'ip', '*.ip', 'password', '*.password', 'headers.cookie', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
}

/** `auto` means readable lines for a person at a terminal, JSON for files and log collectors. */
export function resolveLogFormat(setting: 'auto' | 'json' | 'pretty', stdoutIsTty: boolean): 'json' | 'pretty' {
  if (setting !== 'auto') return setting;
  return stdoutIsTty ? 'pretty' : 'json';
}
