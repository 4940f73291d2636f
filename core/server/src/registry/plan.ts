import { type AnyPlugin, API_VERSION_RULE, AppError, type FieldIssue, validatePlugin } from '@quadmeter/sdk';

export interface Checked {
  id: string;
  plugin: AnyPlugin;
  /** problems with the definition; only an optional plugin gets here with any */
  issues: FieldIssue[];
}

function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/**
 * Validates every definition. A broken required plugin stops the platform; a broken optional
 * one (it must at least carry a string id and `optional: true`) is kept to be shown as failed.
 */
export function checkDefinitions(plugins: readonly unknown[]): Checked[] {
  const out: Checked[] = [];
  const seen = new Set<string>();
  plugins.forEach((p, index) => {
    const raw = (typeof p === 'object' && p !== null ? p : {}) as { id?: unknown; optional?: unknown };
    const id = typeof raw.id === 'string' ? raw.id : `#${index}`;
    const issues = validatePlugin(p);
    if (seen.has(id)) {
      throw new AppError('PLUGIN_HEADER_INVALID', `Plugin '${id}' is installed twice`, {
        pluginId: id,
        fields: [{ path: 'id', message: 'is installed twice' }],
      });
    }
    seen.add(id);
    if (issues.length > 0 && !(raw.optional === true && typeof raw.id === 'string'))
      throw definitionError(id, issues);
    out.push({ id, plugin: p as AnyPlugin, issues });
  });
  return out;
}

/**
 * The error a definition with these issues gets: PLUGIN_API_INCOMPATIBLE when its `apiVersion`
 * cannot run on this SDK (the rule is API_VERSION_RULE), PLUGIN_HEADER_INVALID otherwise.
 */
export function definitionError(id: string, issues: readonly FieldIssue[]): AppError {
  const api = issues.some((i) => i.path === 'apiVersion');
  return new AppError(
    api ? 'PLUGIN_API_INCOMPATIBLE' : 'PLUGIN_HEADER_INVALID',
    `Plugin '${id}' has an invalid definition: ${describeIssues(issues)}${api ? ` (${API_VERSION_RULE})` : ''}`,
    { pluginId: id, fields: issues },
  );
}

function findCycle(ids: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const d of deps.get(id) ?? []) {
      if (state.get(d) === 'open') return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d) && deps.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    if (!state.has(id)) {
      const c = visit(id);
      if (c) return c;
    }
  }
  return [];
}

/**
 * Orders plugins so each comes after everything it depends on; ties keep the installed order.
 * Unknown dependencies are ignored here (the caller has dealt with them).
 */
export function dependencyOrder(
  ids: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
): string[] {
  const known = new Set(ids);
  const pending = new Map(ids.map((id) => [id, (deps.get(id) ?? []).filter((d) => known.has(d))]));
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find((id) => !placed.has(id) && (pending.get(id) ?? []).every((d) => placed.has(d)));
    if (next === undefined) {
      const rest = ids.filter((id) => !placed.has(id));
      const cycle = findCycle(rest, pending);
      throw new AppError(
        'PLUGIN_DEPENDENCY_CYCLE',
        `Plugins depend on each other in a cycle: ${cycle.join(' → ')}`,
        {
          cycle,
        },
      );
    }
    order.push(next);
    placed.add(next);
  }
  return order;
}
