import { ApiError } from '../api/api-error.ts';
import { fieldIssueText } from './error-text.ts';

/**
 * Copies the field issues of a validation error into a form's error map (keyed by field path),
 * clearing what was there; el-form-item shows them through its `error` prop.
 */
export function applyFieldErrors(target: Record<string, string>, err: unknown): void {
  for (const k of Object.keys(target)) delete target[k];
  if (!(err instanceof ApiError)) return;
  for (const issue of err.fieldIssues) {
    if (issue.path && !target[issue.path]) target[issue.path] = fieldIssueText(issue.message);
  }
}
