/**
 * Errors are logged without the values a failed statement carried: drizzle's DrizzleQueryError puts
 * every bound parameter (password hashes, token hashes, personal data) into `params` and into its
 * message, postgres.js keeps them in `parameters`, and PostgreSQL's `detail` quotes the failing row
 * or key. The statement text, SQLSTATE and constraint names stay, which is what a reader needs.
 */
const PARAM_KEYS = new Set(['params', 'parameters']);

function redactDetail(detail: string): string {
  return detail
    .replace(/^Failing row contains \(.*\)\.?$/s, 'Failing row contains [redacted]')
    .replace(/^(Key \([^)]*\))=\(.*\)(.*)$/s, '$1=[redacted]$2');
}

function scrubbedMessage(err: Error): string {
  const { query, params } = err as { query?: unknown; params?: unknown };
  if (typeof query === 'string' && params !== undefined) return `Failed query: ${query}\nparams: [redacted]`;
  return err.message;
}

/**
 * A wrapped PostgreSQL error's SQLSTATE, constraint and (redacted) detail, lifted next to the
 * wrapper: the log serializer keeps only a cause's message, and these fields are what says why.
 */
function driverFields(cause: unknown): Record<string, unknown> | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const c = cause as Record<string, unknown>;
  if (typeof c.code !== 'string') return undefined;
  const fields: Record<string, unknown> = { code: c.code };
  for (const key of ['severity', 'constraint_name', 'table_name', 'column_name', 'routine'])
    if (typeof c[key] === 'string') fields[key] = c[key];
  if (typeof c.detail === 'string') fields.detail = redactDetail(c.detail);
  return fields;
}

/** A copy of `err` (and its causes) with parameters and row values removed. */
export function scrubError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 8) return err;
  const message = scrubbedMessage(err);
  const copy = Object.create(Object.getPrototypeOf(err)) as Error & Record<string, unknown>;
  for (const [key, value] of Object.entries(err)) {
    if (PARAM_KEYS.has(key) || key === 'cause') continue;
    copy[key] = key === 'detail' && typeof value === 'string' ? redactDetail(value) : value;
  }
  Object.defineProperty(copy, 'message', { value: message, enumerable: false, writable: true });
  Object.defineProperty(copy, 'name', { value: err.name, enumerable: false, writable: true });
  const stack = err.stack && err.message ? err.stack.replace(err.message, message) : err.stack;
  Object.defineProperty(copy, 'stack', { value: stack, enumerable: false, writable: true });
  const db = driverFields(err.cause);
  if (db && copy.db === undefined) copy.db = db;
  if (err.cause !== undefined) {
    Object.defineProperty(copy, 'cause', { value: scrubError(err.cause, depth + 1), enumerable: false });
  }
  return copy;
}
