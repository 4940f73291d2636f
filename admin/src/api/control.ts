import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// Remote control: commands to one meter, batches over a target (a cut over more meters than the
// tenant's threshold waits for a second person's approval) and the tenant's control settings.

export type Command = Schema<'Command'>;
export type ControlAction = Command['action'];
export type CommandStatus = Command['status'];
export type CommandSource = Command['source'];
export type CommandCreate = BodyOf<'/meters/{id}/commands', 'post'>;
export type PrepaidParams = NonNullable<CommandCreate['params']>;
export type CommandQuery = QueryOf<'/commands'>;
export type CommandPage = Schema<'CommandPage'>;
export type CommandBatch = Schema<'CommandBatch'>;
export type BatchStatus = CommandBatch['status'];
export type BatchProgress = CommandBatch['progress'];
export type BatchPreviewInput = BodyOf<'/command-batches/preview', 'post'>;
export type BatchPreview = Schema<'CommandBatchPreview'>;
export type BatchCreate = BodyOf<'/command-batches', 'post'>;
export type ControlSettings = Schema<'ControlSettings'>;

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
] as const satisfies readonly ControlAction[];
export const COMMAND_STATUSES = [
  'queued',
  'sent',
  'confirmed',
  'failed',
  'expired',
  'cancelled',
] as const satisfies readonly CommandStatus[];
export const COMMAND_SOURCES = [
  'operator',
  'schedule',
  'prepaid',
  'api',
] as const satisfies readonly CommandSource[];
export const BATCH_STATUSES = [
  'pending_approval',
  'released',
  'rejected',
  'cancelled',
] as const satisfies readonly BatchStatus[];

/** A keyset page of a control list: `after` is the `next` of the page before. */
export interface PageQuery {
  limit?: number;
  after?: string;
}

const enc = encodeURIComponent;

export const commandsApi = {
  send: (meterId: string, body: CommandCreate) =>
    http.post<ReplyOf<'/meters/{id}/commands', 'post'>>(`/meters/${enc(meterId)}/commands`, body),
  ofMeter: (meterId: string, query: QueryOf<'/meters/{id}/commands'>) =>
    http.get<ReplyOf<'/meters/{id}/commands'>>(`/meters/${enc(meterId)}/commands`, { ...query }),
  list: (query: CommandQuery) => http.get<ReplyOf<'/commands'>>('/commands', { ...query }),
  get: (id: string) => http.get<Command>(`/commands/${enc(id)}`),
  cancel: (id: string) => http.post<Command>(`/commands/${enc(id)}/cancel`, {}),
};

export const batchesApi = {
  preview: (body: BatchPreviewInput) =>
    http.post<ReplyOf<'/command-batches/preview', 'post'>>('/command-batches/preview', body),
  create: (body: BatchCreate) => http.post<ReplyOf<'/command-batches', 'post'>>('/command-batches', body),
  list: (query: QueryOf<'/command-batches'>) =>
    http.get<ReplyOf<'/command-batches'>>('/command-batches', { ...query }),
  get: (id: string) => http.get<CommandBatch>(`/command-batches/${enc(id)}`),
  approve: (id: string, note?: string) =>
    http.post<CommandBatch>(`/command-batches/${enc(id)}/approve`, note ? { note } : {}),
  reject: (id: string, note?: string) =>
    http.post<CommandBatch>(`/command-batches/${enc(id)}/reject`, note ? { note } : {}),
  cancel: (id: string) => http.post<CommandBatch>(`/command-batches/${enc(id)}/cancel`, {}),
};

export const controlSettingsApi = {
  get: () => http.get<ReplyOf<'/control-settings'>>('/control-settings'),
  put: (body: ControlSettings) => http.put<ReplyOf<'/control-settings', 'put'>>('/control-settings', body),
};
