import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Calendar } from './protection.ts';

export type HolidayRow = {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
};

/** The tenant's calendar from `fromDay` on (a protection window never runs further than that). */
export async function loadCalendar(tx: Tx, fromDay: string): Promise<Calendar> {
  const rows = await tx.execute<HolidayRow>(sql`
    select day::text as day, kind, name from prepaid_holidays
    where day >= ${fromDay}::date - 1 and day < ${fromDay}::date + 400 order by day`);
  return new Map(rows.map((r) => [r.day, r.kind]));
}

/** The calendar's days in one year. */
export async function listHolidays(tx: Tx, year: number): Promise<HolidayRow[]> {
  return await tx.execute<HolidayRow>(sql`
    select day::text as day, kind, name from prepaid_holidays
    where day >= make_date(${year}::int, 1, 1) and day < make_date(${year}::int + 1, 1, 1) order by day`);
}

/** Replaces a year's calendar with the days given (all inside that year). */
export async function saveHolidays(tx: Tx, tenantId: string, year: number, days: readonly HolidayRow[]) {
  await tx.execute(sql`delete from prepaid_holidays
    where day >= make_date(${year}::int, 1, 1) and day < make_date(${year}::int + 1, 1, 1)`);
  if (days.length)
    await tx.execute(sql`
      insert into prepaid_holidays (tenant_id, day, kind, name)
      select ${tenantId}, x.day, x.kind, x.name
      from jsonb_to_recordset(${JSON.stringify(days)}::jsonb) as x(day date, kind text, name text)`);
  return await listHolidays(tx, year);
}
