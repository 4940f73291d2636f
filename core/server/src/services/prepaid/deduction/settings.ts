import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';

export type DeductionMode = 'daily' | 'per-reading';

export interface DeductionSettings {
  /** daily: one run a day for the previous day; per-reading: also each meter's day as readings arrive */
  mode: DeductionMode;
  /** HH:MM local time (QUADMETER_TIMEZONE) the daily run starts */
  runAt: string;
}

export const DEFAULT_SETTINGS: DeductionSettings = { mode: 'daily', runAt: '01:00' };

export async function readSettings(tx: Tx): Promise<DeductionSettings> {
  const [r] = (await tx.execute(sql`select mode, to_char(run_at, 'HH24:MI') as "runAt"
    from prepaid_deduction_settings`)) as unknown as DeductionSettings[];
  return r ?? DEFAULT_SETTINGS;
}

export async function writeSettings(tx: Tx, s: DeductionSettings): Promise<DeductionSettings> {
  await tx.execute(sql`insert into prepaid_deduction_settings (tenant_id, mode, run_at)
    values (app_tenant_id(), ${s.mode}, ${s.runAt}::time)
    on conflict (tenant_id) do update set mode = excluded.mode, run_at = excluded.run_at, updated_at = now()`);
  return await readSettings(tx);
}
