import type { ReadingTask, TaskOutcome } from '../../api/readings.ts';

/** el-tag types of a task's status and of a meter's outcome. */
export const statusTag = (s: ReadingTask['status']) =>
  s === 'done' ? 'success' : s === 'failed' ? 'danger' : s === 'running' ? 'primary' : 'info';

const GOOD: readonly TaskOutcome[] = ['ok', 'pushed'];
const SOFT: readonly TaskOutcome[] = ['fallback_daily', 'push_only'];

export const outcomeTag = (o: TaskOutcome | null) =>
  o === null ? 'info' : GOOD.includes(o) ? 'success' : SOFT.includes(o) ? 'warning' : 'danger';

/** A success rate 0..1 as a percentage with one decimal, or a dash while nothing finished. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
