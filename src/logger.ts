import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    // Keys and cookies must never reach a log line.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.key'], censor: '[redacted]' },
  });
}
