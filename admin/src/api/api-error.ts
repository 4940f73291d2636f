/** One offending field of a validation error (`REQ_VALIDATION`, `PLUGIN_SETTINGS_INVALID`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Any failed API call. `code` is the server's stable error code (`AUTH_THROTTLED`, `AREA_CYCLE`, …);
 * failures that never reached the API get `NETWORK_ERROR` or `HTTP_<status>`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, requestId?: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }

  /** Field issues from `details`, when the server sent them as `[{ path, message }]`. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details
      .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
      .map((d) => ({
        path: Array.isArray(d.path) ? d.path.join('.') : String(d.path ?? ''),
        message: String(d.message ?? ''),
      }));
  }
}

/** Turns a response body into an ApiError, whatever shape the body has. */
export function toApiError(status: number, body: unknown): ApiError {
  const err = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    return new ApiError(
      status,
      typeof e.code === 'string' ? e.code : `HTTP_${status}`,
      typeof e.message === 'string' ? e.message : `HTTP ${status}`,
      typeof e.requestId === 'string' ? e.requestId : undefined,
      e.details,
    );
  }
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}`);
}
