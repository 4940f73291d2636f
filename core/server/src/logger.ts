import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';
import { scrubError } from './log-scrub.ts';

export type { Logger };

const scrubbed = (err: unknown) => stdSerializers.err(scrubError(err) as Error);

/**
 * The one root logger; plugins and requests get children. Secrets never reach the output: named
 * secret fields are redacted, and errors lose the parameters of failed statements (log-scrub.ts).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'quadmeter' },
    serializers: { err: scrubbed, error: scrubbed },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'headers.cookie',
        'headers.authorization',
        '*.secret',
        // belt and braces for errors logged under their usual keys
        'err.params',
        'err.parameters',
        'err.cause.params',
        'err.cause.parameters',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
