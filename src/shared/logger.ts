import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'comments' },
    // Personal data must never reach the logs, even when an object carrying it is logged by mistake.
    redact: { paths: ['email', '*.email', 'ip', '*.ip', 'password', '*.password', 'headers.cookie', 'headers.authorization'], censor: '[redacted]' },
  });
}
