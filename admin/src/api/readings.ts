import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type ReadingTask = Schema<'ReadingTask'>;
export type TaskKind = ReadingTask['kind'];
export type TaskStatus = ReadingTask['status'];
export type TaskDetail = Schema<'ReadingTaskDetail'>;
export type TaskSummary = Schema<'ReadingTaskSummary'>;
export type TaskGroupSummary = Schema<'ReadingTaskGroupSummary'>;
export type TaskMeter = Schema<'ReadingTaskMeter'>;
export type TaskOutcome = NonNullable<TaskMeter['outcome']>;
export type TaskStart = BodyOf<'/reading-tasks', 'post'>;
export type TaskMetersQuery = QueryOf<'/reading-tasks/{id}/meters'>;
export type Schedule = Schema<'ReadingSchedule'>;
export type ScheduleInput = BodyOf<'/reading-schedules', 'post'>;
export type SchedulePatch = BodyOf<'/reading-schedules/{id}', 'patch'>;
export type Frequency = Schedule['frequency'];
export type ReadingPoint = Schema<'ReadingPoint'>;
export type ConsumptionSeries = Schema<'ConsumptionSeries'>;

export const TASK_KINDS = ['realtime', 'daily', 'monthly'] as const satisfies readonly TaskKind[];
export const FREQUENCIES = [
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'cron',
] as const satisfies readonly Frequency[];

/** What `progress` events of the live stream carry: the counts and the per-line summary. */
export interface TaskProgress {
  status: TaskStatus;
  round: number;
  total: number;
  pending: number;
  success: number;
  failed: number;
  rate: number | null;
  lines: TaskGroupSummary[];
}

const task = (id: string) => `/reading-tasks/${encodeURIComponent(id)}`;
const schedule = (id: string) => `/reading-schedules/${encodeURIComponent(id)}`;
const meter = (id: string) => `/meters/${encodeURIComponent(id)}`;

export const readingTasksApi = {
  start: (body: TaskStart) => http.post<TaskDetail>('/reading-tasks', body),
  list: (query: QueryOf<'/reading-tasks'>) =>
    http.get<ReplyOf<'/reading-tasks'>>('/reading-tasks', { ...query }),
  get: (id: string) => http.get<TaskDetail>(task(id)),
  meters: (id: string, query: TaskMetersQuery) =>
    http.get<ReplyOf<'/reading-tasks/{id}/meters'>>(`${task(id)}/meters`, { ...query }),
  retry: (id: string) => http.post<ReplyOf<'/reading-tasks/{id}/retry', 'post'>>(`${task(id)}/retry`),
  /** the live progress stream (server-sent events `progress` and `done`) */
  streamUrl: (id: string) => `/api/v1${task(id)}/stream`,
};

export const readingSchedulesApi = {
  list: () => http.get<ReplyOf<'/reading-schedules'>>('/reading-schedules'),
  create: (body: ScheduleInput) => http.post<Schedule>('/reading-schedules', body),
  update: (id: string, patch: SchedulePatch) => http.patch<Schedule>(schedule(id), patch),
  remove: (id: string) => http.del(schedule(id)),
};

export const meterSeriesApi = {
  readings: (id: string, query: QueryOf<'/meters/{id}/readings'>) =>
    http.get<ReplyOf<'/meters/{id}/readings'>>(`${meter(id)}/readings`, { ...query }),
  consumption: (id: string, query: QueryOf<'/meters/{id}/consumption'>) =>
    http.get<ConsumptionSeries>(`${meter(id)}/consumption`, { ...query }),
};
