/**
 * Stable error catalogue. Every error that reaches a client carries one of these codes; the HTTP
 * status comes from the catalogue so that one mapper serves the whole platform and its plugins.
 * Codes are `AREA_REASON`; add new ones here, never rename an existing one.
 */
export const errorCatalogue = {
  REQ_JSON_MALFORMED: { status: 400, message: 'The request body is not valid JSON' },
  REQ_VALIDATION: { status: 400, message: 'The request does not match the expected shape' },
  REQ_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  REQ_UNSUPPORTED_MEDIA: { status: 415, message: 'The request body must be application/json' },
  REQ_NOT_FOUND: { status: 404, message: 'No such route' },
  REQ_METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed on this route' },
  REQ_MALFORMED_URL: { status: 400, message: 'The request URL is not validly percent-encoded' },
  AUTH_REQUIRED: { status: 401, message: 'Authentication required' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Tenant, user name or password is wrong' },
  AUTH_THROTTLED: { status: 429, message: 'Too many failed logins; try again later' },
  AUTH_SESSION_INVALID: { status: 401, message: 'The session is unknown or was revoked' },
  AUTH_SESSION_EXPIRED: { status: 401, message: 'The session has expired' },
  AUTH_CSRF_INVALID: { status: 403, message: 'Missing or wrong CSRF token' },
  AUTH_TOKEN_INVALID: { status: 401, message: 'The API token is unknown, revoked or expired' },
  AUTH_FORBIDDEN: { status: 403, message: 'You lack the permission for this action' },
  METRICS_DISABLED: { status: 404, message: 'Metrics are off: QUADMETER_METRICS_TOKEN is not set' },
  METRICS_TOKEN_INVALID: { status: 401, message: 'The metrics bearer token is missing or wrong' },
  AUTH_USER_DISABLED: { status: 403, message: 'This user is disabled' },
  AUTH_SCOPE_TENANT_WIDE: {
    status: 403,
    message: 'Only users whose scope is the whole tenant may change tenant-wide settings',
  },
  AUTH_PASSWORD_WEAK: { status: 400, message: 'The password is too short or too common' },
  ANOMALY_CLOSED: { status: 409, message: 'The finding is already resolved or dismissed' },
  ANOMALY_ASSIGNEE_INVALID: {
    status: 422,
    message: 'The user cannot take this finding (inactive, cannot read anomalies, or outside its area)',
  },
  AREA_OUT_OF_SCOPE: { status: 404, message: 'No such area within your scope' },
  AREA_CYCLE: { status: 409, message: 'An area cannot be moved below itself' },
  AREA_NOT_EMPTY: { status: 409, message: 'The area still has children' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'No such resource' },
  RESOURCE_CONFLICT: { status: 409, message: 'The resource already exists or is in use' },
  METER_KIND_UNKNOWN: { status: 400, message: 'The meter kind is not an installed meter-type plugin' },
  METER_ADDRESS_INVALID: { status: 400, message: "The address does not match the meter's protocol" },
  METER_ASSET_TAKEN: { status: 409, message: 'Another meter already has this asset number' },
  METER_ROUTE_CLASH: { status: 409, message: 'Another meter already has this address on this line' },
  METER_POINT_CLASH: {
    status: 409,
    message: 'Another meter already uses this measuring point on this concentrator',
  },
  METER_STATE_INVALID: { status: 409, message: "The meter's status does not allow this action" },
  METER_RELATION_CYCLE: { status: 409, message: 'A meter cannot feed itself, directly or indirectly' },
  UPLINK_RESOLVED: { status: 409, message: 'The uplink was already assigned or dismissed' },
  UPLINK_ROUTE_UNSUPPORTED: {
    status: 409,
    message: 'An uplink that arrived this way cannot be assigned to a meter from the inbox',
  },
  GATEWAY_ADDRESS_TAKEN: { status: 409, message: 'Another gateway already has this number or address' },
  GATEWAY_OFFLINE: { status: 409, message: 'The concentrator is not connected' },
  GATEWAY_NO_REPLY: { status: 504, message: 'The concentrator did not answer' },
  GATEWAY_REMOVED: { status: 409, message: 'The concentrator was removed' },
  CONTROL_UNSUPPORTED: { status: 409, message: 'No running transport can do this for the device' },
  TENANT_NOT_FOUND: { status: 404, message: 'No such tenant' },
  TENANT_REQUIRED: { status: 400, message: 'Choose a tenant first' },
  PLUGIN_NOT_FOUND: { status: 404, message: 'No such plugin' },
  PLUGIN_HEADER_INVALID: { status: 500, message: 'A plugin definition is invalid' },
  PLUGIN_DEPENDENCY_MISSING: { status: 500, message: 'A plugin depends on a plugin that is not installed' },
  PLUGIN_DEPENDENCY_CYCLE: { status: 500, message: 'Plugins depend on each other in a cycle' },
  PLUGIN_HOOK_TIMEOUT: { status: 500, message: 'A plugin hook did not finish in time' },
  PLUGIN_SETTINGS_INVALID: { status: 400, message: 'The plugin settings do not match its schema' },
  PLUGIN_DISABLED: { status: 409, message: 'The plugin is disabled' },
  PLUGIN_UNAVAILABLE: { status: 503, message: 'The plugin is not running' },
  PLUGIN_ROUTE_INVALID: { status: 500, message: 'A plugin declared an invalid route' },
  PLUGIN_API_INCOMPATIBLE: { status: 500, message: 'A plugin targets a plugin API this SDK does not run' },
  PLUGIN_LOAD_FAILED: { status: 500, message: 'An external plugin could not be loaded' },
  PLUGIN_SETUP_FAILED: { status: 500, message: 'A plugin failed in setup' },
  PLUGIN_START_FAILED: { status: 500, message: 'A plugin failed to start' },
  METER_TYPE_DATA_INVALID: { status: 400, message: 'The meter type data does not match its schema' },
  LIST_CURSOR_INVALID: { status: 400, message: 'The list cursor is malformed or was made for another sort' },
  CUSTOM_FIELD_INVALID: {
    status: 400,
    message: 'A custom field is unknown, missing though required, or has a value of the wrong type',
  },
  CUSTOMER_HAS_ACCOUNTS: { status: 409, message: 'The customer still has accounts; close it instead' },
  IMPORT_FILE_INVALID: { status: 400, message: 'The file is not a readable xlsx workbook or UTF-8 CSV file' },
  IMPORT_FILE_EMPTY: { status: 400, message: 'The uploaded file is empty' },
  IMPORT_HEADER_INVALID: { status: 400, message: 'The header row does not match the import template' },
  IMPORT_TOO_MANY_ROWS: { status: 400, message: 'The file has more rows than one import accepts' },
  IMPORT_NOT_READY: { status: 409, message: 'The import is not validated yet or was already applied' },
  IMPORT_HAS_ERRORS: { status: 409, message: 'The import has error rows; fix the file and upload it again' },
  IMPORT_APPLY_FAILED: { status: 500, message: 'The import failed; nothing was changed' },
  READING_BACKWARDS: { status: 422, message: 'A meter counter went backwards' },
  READING_TASK_EMPTY: { status: 422, message: 'The target has no installed meter to read' },
  READING_TASK_BUSY: { status: 409, message: 'The reading task is still running' },
  FIELD_PHOTO_INVALID: {
    status: 415,
    message: 'The photo must be a JPEG, PNG or WebP image of the type it declares',
  },
  FIELD_PHOTO_TOO_LARGE: { status: 413, message: 'The photo exceeds 2 MiB' },
  FIELD_KEY_REUSED: {
    status: 409,
    message: 'This idempotency key was already used for another meter or value',
  },
  FIELD_READING_REJECTED: { status: 422, message: 'The meter type rejected the reading' },
  FIELD_TIME_INVALID: { status: 400, message: 'The reading time lies in the future or too far back' },
  CONTROL_KEEP_POWER: {
    status: 409,
    message: 'The meter is under keep-power (保电); a cut needs an explicit override',
  },
  CONTROL_ACTION_UNSUPPORTED: { status: 422, message: 'The meter does not take this command' },
  CONTROL_NOT_CANCELLABLE: { status: 409, message: 'Only a queued command can be cancelled' },
  CONTROL_SELF_APPROVAL: {
    status: 403,
    message: 'A batch must be approved by someone other than its requester',
  },
  CONTROL_BATCH_EMPTY: {
    status: 422,
    message: 'The batch reaches no installed meter that takes this command',
  },
  CONTROL_BATCH_NOT_PENDING: { status: 409, message: 'The batch is not waiting for approval' },
  CONTROL_IDEMPOTENCY_CONFLICT: {
    status: 409,
    message: 'The idempotency key was used for a different command',
  },
  TARIFF_INVALID: { status: 400, message: 'The tariff does not match the tariff format' },
  TARIFF_USAGE_INVALID: { status: 400, message: 'The usage does not match the usage format or the tariff' },
  TARIFF_NOT_IN_FORCE: { status: 422, message: 'No tariff version is in force for part of the period' },
  TARIFF_AMOUNT_TOO_LARGE: { status: 422, message: 'The amount is too large to bill' },
  BILL_STATE_INVALID: { status: 409, message: "The bill's status does not allow this action" },
  BILL_ADJUSTMENT_TOO_LARGE: {
    status: 422,
    message: 'The credit is larger than what the bill charges',
  },
  BILL_RUN_NOT_FOUND: { status: 404, message: 'No such bill run within your scope' },
  BILL_RUN_BUSY: {
    status: 409,
    message: 'A bill run for this period and area is already queued or running',
  },
  BILL_RUN_PERIOD_INVALID: { status: 400, message: 'The billing period is invalid' },
  BILL_RUN_NOT_CANCELLABLE: { status: 409, message: 'The bill run has already finished' },
  TARIFF_PLAN_UNKNOWN: { status: 422, message: 'No tariff plan has this code' },
  TARIFF_PLAN_RETIRED: { status: 409, message: 'The tariff plan is retired and takes no new versions' },
  TARIFF_VERSION_CLASH: {
    status: 409,
    message: 'Another published version of the plan takes effect on the same date',
  },
  TARIFF_WHAT_IF_TOO_LARGE: { status: 422, message: 'Too many accounts for one what-if simulation' },
  RECORD_IMMUTABLE: {
    status: 409,
    message: 'The record is immutable once published or posted; make a new version or post a reversal',
  },
  LEDGER_ENTRY_INVALID: {
    status: 400,
    message: 'The ledger entry is invalid: its kind, sign, amount or business key break a ledger rule',
  },
  LEDGER_KEY_CONFLICT: {
    status: 409,
    message: 'The business key was already posted with a different account, kind or amount',
  },
  LEDGER_ALREADY_REVERSED: { status: 409, message: 'The ledger entry was already reversed' },
  LEDGER_NOT_REVERSIBLE: { status: 409, message: 'A reversal cannot itself be reversed' },
  LEDGER_REVERSAL_VIA_PAYMENT: {
    status: 409,
    message: 'A counter payment is reversed through a payment reversal request and its approval',
  },
  LEDGER_ALLOCATION_INVALID: {
    status: 409,
    message: 'The allocation would settle more than a debit owes or spend more than a credit holds',
  },
  FILE_UNREADABLE: { status: 400, message: 'The file cannot be read' },
  PAY_SIGNATURE_INVALID: { status: 401, message: 'The payment notification signature is invalid' },
  PAY_SHIFT_NOT_OPEN: {
    status: 409,
    message: 'Open a cashier shift first (or this shift is already closed)',
  },
  PAY_SHIFT_ALREADY_OPEN: { status: 409, message: 'You already have an open cashier shift' },
  PAY_TENDER_SHORT: { status: 422, message: 'The cash tendered is less than the amount' },
  PAY_METHOD_DISABLED: {
    status: 409,
    message: 'This tenant does not take this payment method at the counter',
  },
  PAY_CASH_LIMIT: { status: 422, message: 'The cash payment exceeds the counter limit per payment' },
  PAY_ACCOUNT_CLOSED: { status: 409, message: 'The account is closed and takes no payments' },
  PAY_IDEMPOTENCY_CONFLICT: {
    status: 409,
    message: 'The idempotency key was already used for a different payment',
  },
  PAY_NOT_REVERSIBLE: {
    status: 409,
    message: 'The payment is already reversed or awaiting a reversal decision',
  },
  PAY_REVERSAL_DECIDED: { status: 409, message: 'The reversal request has already been decided' },
  PAY_REVERSAL_SELF_APPROVAL: {
    status: 403,
    message: 'A reversal must be decided by someone other than the person who requested it',
  },
  PAY_NOTIFICATION_STALE: {
    status: 401,
    message: 'The payment notification timestamp is outside the accepted window',
  },
  PAY_MERCHANT_MISMATCH: {
    status: 401,
    message: 'The payment notification names another merchant or app',
  },
  PAY_NOT_CONFIGURED: { status: 503, message: 'The payment provider account is not configured' },
  PAY_PROVIDER_ERROR: { status: 502, message: 'The payment provider refused or failed the request' },
  PAY_PROVIDER_UNKNOWN: { status: 422, message: 'No payment plugin has this id' },
  PAY_ORDER_NOT_FOUND: { status: 404, message: 'No such payment order within your scope' },
  PAY_ORDER_STATE: { status: 409, message: "The payment order's status does not allow this action" },
  PAY_REFUND_TOO_LARGE: {
    status: 422,
    message: 'The refund is larger than what the order paid and has not yet refunded',
  },
  PAY_REFUND_CONFLICT: {
    status: 409,
    message: 'The refund number was already used for a different refund',
  },
  NOTIFY_TEMPLATE_INVALID: { status: 422, message: 'The notice template does not compile or render' },
  NOTIFY_TEMPLATE_UNKNOWN: { status: 404, message: 'No such notice event or channel' },
  DOCUMENT_TEMPLATE_INVALID: {
    status: 422,
    message: 'The document template does not compile or render (see line and column)',
  },
  DOCUMENT_TEMPLATE_UNKNOWN: { status: 404, message: 'No such document kind, variant or template version' },
  DOCUMENT_NUMBER_PATTERN_INVALID: {
    status: 422,
    message: 'The number pattern needs one {seq:N} and only known fields ({yyyy}, {yy}, {mm}, {dd})',
  },
  DOCUMENT_SERIES_EXHAUSTED: {
    status: 409,
    message: 'The number series has no numbers left for this period',
  },
  DOCUMENT_ALREADY_VOID: { status: 409, message: 'The document is already voided' },
  DOCUMENT_SOURCE_INVALID: { status: 409, message: 'The source cannot have this document (wrong status)' },
  DOCUMENT_PDF_UNAVAILABLE: {
    status: 503,
    message: 'PDF output needs Chromium and playwright-core, which this installation lacks; print the HTML',
  },
  REPORT_UNKNOWN: { status: 404, message: 'No such report or layout version' },
  REPORT_TEMPLATE_INVALID: {
    status: 422,
    message: 'The report layout does not compile or render (see line and column)',
  },
  REPORT_OUTPUT_NOT_READY: {
    status: 409,
    message: 'The export has not finished (or failed); see its status',
  },
  REPORT_SCHEDULE_CRON: {
    status: 422,
    message: 'The schedule is not a valid cron expression (five fields) or never fires',
  },
  REPORT_PDF_UNAVAILABLE: {
    status: 503,
    message: 'PDF output needs Chromium and playwright-core, which this installation lacks; print the HTML',
  },
  DOCUMENT_BATCH_TOO_LARGE: { status: 422, message: 'Too many documents for one batch print' },
  PREPAID_POLICY_INVALID: {
    status: 422,
    message: 'The prepaid policy contradicts itself (alarm amounts, hoarding limit, reconnect threshold)',
  },
  PREPAID_HOARDING_LIMIT: {
    status: 422,
    message: 'The top-up would lift the balance above the prepaid hoarding limit',
  },
  PREPAID_DEDUCTION_FUTURE_DAY: { status: 422, message: 'A day not yet begun cannot be deducted' },
  PREPAID_NOT_PREPAID: { status: 409, message: 'The account is not in prepaid mode' },
  PREPAID_NOTHING_TO_RETRY: { status: 409, message: 'The account has no failed cut or reconnect to retry' },
  CONFIG_INVALID: { status: 500, message: 'The configuration is invalid' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A dependency is not reachable' },
  DB_UNAVAILABLE: { status: 503, message: 'The database is not reachable; try again shortly' },
  DB_CLUSTER_IN_USE: { status: 503, message: 'The database folder is in use by another process' },
  SELF_AUTH_REQUIRED: { status: 401, message: 'Sign in through the official account first' },
  SELF_OAUTH_UNCONFIGURED: { status: 503, message: 'WeChat web authorisation is not configured' },
  SELF_OAUTH_FAILED: { status: 400, message: 'The WeChat authorisation was refused or has expired' },
  SELF_NOT_FOUND: {
    status: 404,
    message: 'No such account, bill, payment or order among your bound accounts',
  },
  SELF_BIND_FAILED: { status: 400, message: 'The account number or the verification does not match' },
  SELF_NO_PHONE: { status: 409, message: 'No phone is on file for this account; ask the service desk' },
  SELF_CODE_INVALID: { status: 400, message: 'The verification code is wrong, used or expired' },
  SELF_RATE_LIMITED: { status: 429, message: 'Too many attempts; try again later' },
  SELF_METHOD_NOT_ALLOWED: {
    status: 403,
    message: 'This binding method is not offered by your utility',
  },
  SELF_ALREADY_BOUND: { status: 409, message: 'This account is already bound to you' },
  ROLE_NOT_FOUND: { status: 404, message: 'No such role' },
  CLI_USAGE: { status: 400, message: 'Wrong command line usage' },
  BACKUP_FORMAT: { status: 400, message: 'The file is not a Quadmeter backup' },
  BACKUP_VERSION: {
    status: 400,
    message: 'The backup was made by a format or schema this build cannot read',
  },
  BACKUP_CORRUPT: { status: 400, message: 'The backup file is damaged; nothing was restored' },
  BACKUP_FILE_UNREADABLE: { status: 400, message: 'The backup file cannot be read' },
  BACKUP_INCOMPATIBLE: { status: 409, message: 'The backup lacks data this schema requires' },
  BACKUP_TENANT_CODE: { status: 400, message: 'The tenant code for the restore is not valid' },
  BACKUP_TENANT_EXISTS: { status: 409, message: 'A tenant with this code exists already' },
  BACKUP_CONFIRM_MISMATCH: {
    status: 400,
    message: 'The confirmation does not name the tenant being replaced',
  },
  BACKUP_RESTORE_FAILED: { status: 500, message: 'The restore failed; nothing was changed' },
  SCAFFOLD_TARGET_EXISTS: { status: 409, message: 'The folder for the new plugin exists and is not empty' },
  PACKAGE_MISSING: { status: 500, message: 'An optional package is not installed' },
  STATS_RANGE_INVALID: { status: 400, message: 'The period is not a valid date range' },
  STATS_RANGE_TOO_LARGE: { status: 400, message: 'The period spans more buckets than a chart can show' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown, options?: { cause?: unknown }) {
    super(message ?? errorCatalogue[code].message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
