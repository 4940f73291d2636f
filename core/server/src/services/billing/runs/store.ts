import { AppError } from '@quadmeter/sdk';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { uuidArray } from '../../../db/sql-helpers.ts';
import type { Actor } from '../../identity/actor.ts';

export interface RunProgress {
  total: number;
  billed: number;
  held: number;
  skipped: number;
  failed: number;
}

export interface BillRunRow {
  id: string;
  areaId: string | null;
  areaName: string | null;
  periodFrom: string;
  periodTo: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: RunProgress;
  rebill: boolean;
  error: string | null;
  createdByName: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunFailure {
  accountId: string;
  accountNumber: string;
  reasons: string[];
}

const ts = (c: string) => sql.raw(`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

const COLUMNS = sql`r.id::text as id, r.area_id::text as "areaId", a.name as "areaName",
  r.period_from::text as "periodFrom", r.period_to::text as "periodTo", r.status,
  jsonb_build_object('total', coalesce((r.progress->>'total')::int, 0),
    'billed', coalesce((r.progress->>'billed')::int, 0), 'held', coalesce((r.progress->>'held')::int, 0),
    'skipped', coalesce((r.progress->>'skipped')::int, 0),
    'failed', (select count(*)::int from bill_run_failures f where f.run_id = r.id)) as progress,
  (r.options ? 'accountIds') as rebill, r.error, r.created_by_name as "createdByName",
  ${ts('r.created_at')} as "createdAt", ${ts('r.started_at')} as "startedAt", ${ts('r.finished_at')} as "finishedAt"`;

/** A scoped actor sees the runs of areas inside its scope; tenant-wide runs only whole-tenant actors. */
function visible(actor: Actor): SQL {
  if (!actor.areaScope) return sql`true`;
  return sql`a.path && ${uuidArray(actor.areaScope)}`;
}

export async function findRun(tx: Tx, actor: Actor, id: string): Promise<BillRunRow> {
  const [row] = (await tx.execute(sql`select ${COLUMNS} from bill_runs r left join areas a on a.id = r.area_id
    where r.id = ${id} and ${visible(actor)}`)) as unknown as BillRunRow[];
  if (!row) throw new AppError('BILL_RUN_NOT_FOUND', undefined, { id });
  return row;
}

export async function listRuns(
  tx: Tx,
  actor: Actor,
  q: { limit: number; status?: BillRunRow['status'] },
): Promise<{ items: BillRunRow[] }> {
  const items = (await tx.execute(sql`select ${COLUMNS} from bill_runs r left join areas a on a.id = r.area_id
    where ${visible(actor)} ${q.status ? sql`and r.status = ${q.status}` : sql``}
    order by r.created_at desc, r.id desc limit ${q.limit}`)) as unknown as BillRunRow[];
  return { items };
}

/** The accounts a run could not bill, with reasons (first `limit`, by account number). */
export async function runFailures(tx: Tx, id: string, limit = 200): Promise<RunFailure[]> {
  return (await tx.execute(sql`select f.account_id::text as "accountId", ac.number as "accountNumber", f.reasons
    from bill_run_failures f join accounts ac on ac.id = f.account_id
    where f.run_id = ${id} order by ac.number limit ${limit}`)) as unknown as RunFailure[];
}
