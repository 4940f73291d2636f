import { outcomes, taskKinds } from '../../services/reading-tasks/kinds.ts';
import { frequencies } from '../../services/reading-tasks/schedules.ts';
import { int32, text, z } from '../route-kit.ts';

const FrozenFor = z
  .string()
  .regex(/^\d{4}-\d{2}(?:-\d{2})?$/, 'a date YYYY-MM-DD (daily) or a month YYYY-MM (monthly)')
  .openapi({ example: '2026-11-29' });

const common = {
  kind: z.enum(taskKinds),
  /** daily: one of the last 31 days (default yesterday); monthly: one of the last 12 months (default last month) */
  frozenFor: FrozenFor.optional(),
  /** retry rounds (补抄) after the first pass, default 3 */
  rounds: int32(0, 10).optional(),
  /** real-time reads failing every round fall back to today's daily frozen value, default true */
  fallback: z.boolean().optional(),
};

export const StartTask = z
  .discriminatedUnion('target', [
    z.object({ target: z.literal('meter'), meterId: z.uuid(), ...common }).strict(),
    z
      .object({ target: z.literal('meters'), meterIds: z.array(z.uuid()).min(1).max(5000), ...common })
      .strict(),
    z.object({ target: z.literal('group'), groupId: z.uuid(), ...common }).strict(),
    z.object({ target: z.literal('area'), areaId: z.uuid(), ...common }).strict(),
  ])
  .openapi('ReadingTaskStart');

export const Task = z
  .object({
    id: z.string(),
    target: z.enum(['meter', 'meters', 'group', 'area']),
    targetId: z.string().nullable(),
    kind: z.enum(taskKinds),
    frozenFor: z.string().nullable(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    rounds: z.number(),
    round: z.number(),
    fallback: z.boolean(),
    scheduleId: z.string().nullable(),
    slot: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdByName: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('ReadingTask');

const counts = {
  total: z.number(),
  pending: z.number(),
  success: z.number(),
  failed: z.number(),
  /** success / finished, 0..1; null while nothing finished */
  rate: z.number().nullable(),
};
const GroupSummary = z
  .object({ key: z.string(), name: z.string(), ...counts })
  .openapi('ReadingTaskGroupSummary');

export const Summary = z
  .object({
    ...counts,
    /** per line: key `serial:<line key>` or `concentrator:<concentrator id>`, `nbiot:…`, `lora:lora`, `none` */
    lines: z.array(GroupSummary),
    concentrators: z.array(GroupSummary),
    areas: z.array(GroupSummary),
  })
  .openapi('ReadingTaskSummary');

export const MeterResult = z
  .object({
    meterId: z.string(),
    assetNo: z.string(),
    areaId: z.string(),
    via: z.string().nullable(),
    line: z.string().nullable(),
    concentratorId: z.string().nullable(),
    transport: z.string().nullable(),
    /** null while pending */
    outcome: z.enum(outcomes).nullable(),
    detail: z.string().nullable(),
    attempts: z.number(),
    /** the stored reading's key (meter, kind, ts) and its main value */
    reading: z.object({ kind: z.string(), ts: z.string(), value: z.string().nullable() }).nullable(),
  })
  .openapi('ReadingTaskMeter');

export const ResultPage = z
  .object({ items: z.array(MeterResult), next: z.string().nullable() })
  .openapi('ReadingTaskMeterPage');

export const TaskDetail = z
  .object({ task: Task, summary: Summary, results: ResultPage })
  .openapi('ReadingTaskDetail');

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Cursor = text(1, 2000).optional();

export const TaskListQuery = z.object({
  limit: Limit,
  after: Cursor,
  status: z.enum(['queued', 'running', 'done', 'failed']).optional(),
  scheduleId: z.uuid().optional(),
});

export const ResultQuery = z.object({
  limit: Limit,
  after: Cursor,
  outcome: z.enum([...outcomes, 'pending']).optional(),
});

export const TaskPage = z
  .object({ items: z.array(Task), next: z.string().nullable() })
  .openapi('ReadingTaskPage');

const timing = {
  /** hourly … monthly: minute 0–59, hour 0–23, weekday 0 (Sunday) – 6, day of month 1–28 */
  minute: int32(0, 59).optional(),
  hour: int32(0, 23).optional(),
  weekday: int32(0, 6).optional(),
  monthDay: int32(1, 28).optional(),
  /** frequency 'cron': five fields in the tenant's zone */
  cron: text(9, 100).optional(),
};

export const ScheduleBody = z
  .object({
    name: text(1, 100),
    target: z.enum(['meter', 'group', 'area']),
    targetId: z.uuid(),
    kind: z.enum(taskKinds),
    frequency: z.enum(frequencies),
    ...timing,
    rounds: int32(0, 10).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('ReadingScheduleInput');

export const SchedulePatch = ScheduleBody.partial().strict();

export const Schedule = z
  .object({
    id: z.string(),
    name: z.string(),
    target: z.enum(['meter', 'group', 'area']),
    targetId: z.string(),
    kind: z.enum(taskKinds),
    frequency: z.enum(frequencies),
    cron: z.string(),
    rounds: z.number(),
    enabled: z.boolean(),
    lastSlot: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ReadingSchedule');
