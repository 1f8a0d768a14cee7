import pino, { type Logger } from 'pino';

/** Logs go to stdout for servers; the CLI passes stderr (fd 2) so its stdout stays clean for scripts. */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino(
    {
    level,
    base: { service: 'comments' },
    // Personal data must never reach the logs, even when an object carrying it is logged by mistake.
    redact: { paths: ['email', '*.email', 'ip', '*.ip', 'password', '*.password', 'headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination(fd),
  );
}
