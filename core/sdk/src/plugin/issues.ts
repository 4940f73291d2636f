import type { z } from 'zod';
import type { FieldIssue } from '../errors.ts';

/** Dotted path of a zod issue, e.g. `registers.0.key`; the empty path is `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** zod issues as the platform's `{ path, message }` list. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
}
