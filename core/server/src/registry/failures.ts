import { AppError, type Logger } from '@quadmeter/sdk';
import { asError, messageOf } from './run-hook.ts';
import type { Entry } from './types.ts';

/**
 * The stable code of an error a plugin threw or the registry raised. Read from the shape rather
 * than the class: an external plugin may carry its own copy of the SDK's AppError.
 */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof AppError || (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code))
    ? String(code)
    : undefined;
}

/** Plugins that depend on `id`, directly or through others, in the given order. */
export function dependantsOf(id: string, order: readonly Entry[]): Entry[] {
  const hit = new Set([id]);
  const out: Entry[] = [];
  for (const e of order) {
    if ((e.plugin.dependsOn ?? []).some((d: string) => hit.has(d))) {
      hit.add(e.id);
      out.push(e);
    }
  }
  return out;
}

/**
 * Records a failure. An optional plugin is marked failed and everything depending on it is
 * disabled (a required dependant turns the failure into a platform stop); a required plugin's
 * failure is rethrown.
 */
export function fail(
  entry: Entry,
  error: unknown,
  order: readonly Entry[],
  logger: Logger,
  fallbackCode = 'INTERNAL',
): void {
  entry.error = messageOf(error);
  entry.errorCode = codeOf(error) ?? fallbackCode;
  entry.status = 'failed';
  if (!entry.plugin.optional) throw asError(error);
  logger.warn({ plugin: entry.id, err: asError(error) }, 'optional plugin failed and was disabled');
  for (const d of dependantsOf(entry.id, order)) {
    if (d.status === 'failed' || d.status === 'disabled') continue;
    if (!d.plugin.optional) {
      throw new AppError(
        'PLUGIN_DEPENDENCY_MISSING',
        `Plugin '${d.id}' needs '${entry.id}', which failed: ${entry.error}`,
        {
          pluginId: d.id,
          missing: [entry.id],
        },
      );
    }
    d.status = 'disabled';
    d.error = `depends on '${entry.id}', which failed`;
    d.errorCode = 'PLUGIN_DEPENDENCY_MISSING';
    logger.warn({ plugin: d.id, dependency: entry.id }, 'plugin disabled because a dependency failed');
  }
}
