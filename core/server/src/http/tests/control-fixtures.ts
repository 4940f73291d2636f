import { sql } from 'drizzle-orm';
import { inDemo } from './archive-fixtures.ts';
import { type ReadingWorld, readingWorld } from './reading-fixtures.ts';

/** The reading world with its meters made relay meters (two in area A, two in area B). */
export async function controlWorld(): Promise<ReadingWorld> {
  const w = await readingWorld();
  await inDemo(w.p, (tx) =>
    tx.execute(
      sql`update meters set control = 'relay' where id = any(${`{${[...w.metersA, ...w.metersB].join(',')}}`}::uuid[])`,
    ),
  );
  return w;
}

/** Rows of the control tables over all tenants (the system path). */
export async function controlRows(w: ReadingWorld) {
  const [row] = (await w.p.running.platform.database.sql`
    select (select count(*) from meter_commands)::int as commands, (select count(*) from command_batches)::int as batches,
      (select count(*) from command_batch_meters)::int as members, (select count(*) from control_settings)::int as settings,
      (select count(*) from meters where keep_power)::int as "keepPower"`) as unknown as Record<
    string,
    number
  >[];
  return row;
}
