import { http } from './http.ts';

// Remote control: commands to one meter, batches over a target (with approval above a threshold)
// and the tenant's control settings.
// INTERIM: hand-written from the agreed contract until the routes land on main; then these become
// Schema<'…'>/BodyOf<…> from the generated openapi.ts.

export const CONTROL_ACTIONS = [
  'valve-open',
  'valve-close',
  'relay-trip',
  'relay-close',
  'keep-power',
  'keep-power-clear',
  'alarm-on',
  'alarm-off',
  'freeze',
  'time-sync',
  'prepaid-params',
] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export const COMMAND_STATUSES = ['queued', 'sent', 'confirmed', 'failed', 'expired', 'cancelled'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];
export const COMMAND_SOURCES = ['operator', 'schedule', 'prepaid', 'api'] as const;
export type CommandSource = (typeof COMMAND_SOURCES)[number];
export const BATCH_STATUSES = ['pending_approval', 'released', 'rejected', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** prepaid-params: thresholds in integer fen */
export interface PrepaidParams {
  alarm1?: number;
  alarm2?: number;
  overdraft?: number;
  hoarding?: number;
  closePermit?: number;
}

export interface Command {
  id: string;
  meterId: string;
  assetNo: string;
  areaId: string;
  action: ControlAction;
  params: Record<string, unknown> | null;
  status: CommandStatus;
  /** confirmed: true = state read back, false = acknowledged but unverified; null otherwise */
  verified: boolean | null;
  source: CommandSource;
  priority: number;
  reason: string;
  requestedBy: string | null;
  requestedByName: string | null;
  override: boolean;
  expiresAt: string | null;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  transport: string | null;
  platformRef: string | null;
  deliveredAt: string | null;
  state: { valve?: string; relay?: string; keepPower?: boolean } | null;
  errorCode: string | null;
  detail: string | null;
  batchId: string | null;
  createdAt: string;
  sentAt: string | null;
  finishedAt: string | null;
}

export interface CommandCreate {
  action: ControlAction;
  reason: string;
  params?: PrepaidParams;
  priority?: number;
  expiresInMinutes?: number;
  override?: boolean;
  idempotencyKey?: string;
}

export type BatchTarget =
  | { target: 'meters'; meterIds: string[] }
  | { target: 'group'; groupId: string }
  | { target: 'area'; areaId: string };
export type BatchPreviewInput = BatchTarget & { action: ControlAction };

export interface BatchPreview {
  meters: number;
  customers: number;
  keepPower: number;
  unsupported: number;
  needsApproval: boolean;
  threshold: number;
}

export type BatchCreate = BatchPreviewInput & Omit<CommandCreate, 'action' | 'idempotencyKey'>;

export interface BatchProgress {
  queued: number;
  sent: number;
  confirmed: number;
  failed: number;
  expired: number;
  cancelled: number;
}

export interface CommandBatch {
  id: string;
  action: ControlAction;
  reason: string;
  target: BatchTarget['target'];
  targetId: string | null;
  meterCount: number;
  customerCount: number;
  status: BatchStatus;
  requestedBy: string | null;
  requestedByName: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  progress: BatchProgress;
  createdAt: string;
}

export interface ControlSettings {
  approvalThreshold: number;
  expiryMinutes: number;
  maxAttempts: number;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CommandQuery {
  status?: CommandStatus;
  action?: ControlAction;
  source?: CommandSource;
  meterId?: string;
  batchId?: string;
  limit?: number;
  cursor?: string;
}

const enc = encodeURIComponent;

export const commandsApi = {
  send: (meterId: string, body: CommandCreate) =>
    http.post<Command>(`/meters/${enc(meterId)}/commands`, body),
  ofMeter: (meterId: string, query: { limit?: number; cursor?: string }) =>
    http.get<ListPage<Command>>(`/meters/${enc(meterId)}/commands`, { ...query }),
  list: (query: CommandQuery) => http.get<ListPage<Command>>('/commands', { ...query }),
  get: (id: string) => http.get<Command>(`/commands/${enc(id)}`),
  cancel: (id: string) => http.post<Command>(`/commands/${enc(id)}/cancel`),
};

export const batchesApi = {
  preview: (body: BatchPreviewInput) => http.post<BatchPreview>('/command-batches/preview', body),
  create: (body: BatchCreate) => http.post<CommandBatch>('/command-batches', body),
  list: (query: { status?: BatchStatus; limit?: number; cursor?: string }) =>
    http.get<ListPage<CommandBatch>>('/command-batches', { ...query }),
  get: (id: string) => http.get<CommandBatch>(`/command-batches/${enc(id)}`),
  approve: (id: string, note?: string) =>
    http.post<CommandBatch>(`/command-batches/${enc(id)}/approve`, note ? { note } : {}),
  reject: (id: string, note?: string) =>
    http.post<CommandBatch>(`/command-batches/${enc(id)}/reject`, note ? { note } : {}),
  cancel: (id: string) => http.post<CommandBatch>(`/command-batches/${enc(id)}/cancel`),
};

export const controlSettingsApi = {
  get: () => http.get<ControlSettings>('/control-settings'),
  put: (body: ControlSettings) => http.put<ControlSettings>('/control-settings', body),
};
