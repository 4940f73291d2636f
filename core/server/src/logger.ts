import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/**
 * The one root logger; plugins and requests get children. Secrets never reach the output.
 * `fd` 2 sends it to stderr (the CLI, whose stdout is the command's result).
 */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'quadmeter' },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'headers.cookie',
        'headers.authorization',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  };
  return fd === 2 ? pino(options, pino.destination({ fd: 2, sync: true })) : pino(options);
}
