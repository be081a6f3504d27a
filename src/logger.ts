import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/** A run of digits as long as a phone number (or a LID): never written to a log. */
const NUMBER_LIKE = /\d{7,}/g;

/**
 * Errors are logged with their message and stack, which may quote a person's number: PostgreSQL
 * repeats a bad value in its message, and a failed query's error carries its bind parameters
 * (numbers, names) three times over. Parameters go entirely; long digit runs anywhere are masked.
 */
function maskNumbers(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(NUMBER_LIKE, '[digits]');
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => maskNumbers(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([field, inner]) => [field, field === 'parameters' ? '[redacted]' : maskNumbers(inner, depth + 1)]),
  );
}

/** JSON lines on stdout (or `destination`). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    serializers: { err: (error: Error) => maskNumbers(stdSerializers.err(error)) },
    // Keys and cookies must never reach a log line.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.key'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
