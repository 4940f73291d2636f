import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { addLineMeters, fieldFor, LINE_A, LINE_B } from '../../services/reading-tasks/engine-fixtures.ts';
import { type Field, TEST_TRANSPORT, testTransport } from '../../services/reading-tasks/test-transport.ts';
import { demoAreas, inDemo, otherTenant, tenantId } from './archive-fixtures.ts';

/**
 * The demo tenant with the test transport enabled (its serial and concentrator transports off) and
 * two DL/T 645 meters on each of two lines:
 * LINE_A's in 1号楼 (area A), LINE_B's in 3号楼 (area B); a second tenant "other".
 */
export interface ReadingWorld {
  p: TestPlatform;
  field: Field;
  admin: Client;
  other: Client;
  tenantId: string;
  areaA: string;
  areaB: string;
  /** the company area holding both */
  root: string;
  metersA: string[];
  metersB: string[];
}

export async function readingWorld(): Promise<ReadingWorld> {
  const field = fieldFor([LINE_A, LINE_B], 2);
  const p = await startTestPlatform(
    {},
    { plugins: [...installedPlugins, testTransport(field)], engine: { backoffMs: 10, leaseMs: 5_000 } },
  );
  const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  const tid = await tenantId(p, 'demo');
  // the demo tenant reads its lines through the serial transports; here the test transport owns them
  await inDemo(p, async (tx) => {
    await tx.execute(
      sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${tid}, ${TEST_TRANSPORT}, true)`,
    );
    await tx.execute(sql`update plugin_settings set enabled = false
      where tenant_id = ${tid} and plugin_id in ('transport-rs485', 'transport-mbus', 'transport-gdw1376')`);
  });
  const db = p.running.platform.db;
  const metersA = await addLineMeters(db, { tenantId: tid, areaId: areas['1号楼'].id }, [LINE_A], 2);
  const metersB = await addLineMeters(db, { tenantId: tid, areaId: areas['3号楼'].id }, [LINE_B], 2);
  const other = await otherTenant(p);
  const root = areas['1号楼'].path[0];
  return {
    p,
    field,
    admin,
    other,
    tenantId: tid,
    areaA: areas['1号楼'].id,
    areaB: areas['3号楼'].id,
    root,
    metersA,
    metersB,
  };
}

/** Polls the task until it has finished; answers its detail. */
export async function finished(c: Client, id: string) {
  for (let i = 0; i < 300; i++) {
    const r = await c.get(`/api/v1/reading-tasks/${id}`);
    expect(r.status).toBe(200);
    if (r.body.task.status === 'done' || r.body.task.status === 'failed') return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`task ${id} did not finish`);
}

/** Rows of the reading tables over all tenants (the system path). */
export async function readingRows(w: ReadingWorld) {
  const [row] = (await w.p.running.platform.database.sql`
    select (select count(*) from reading_tasks)::int as tasks, (select count(*) from reading_task_meters)::int as members,
      (select count(*) from reading_schedules)::int as schedules`) as unknown as {
    tasks: number;
    members: number;
    schedules: number;
  }[];
  return row;
}
