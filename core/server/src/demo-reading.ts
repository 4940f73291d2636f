import { sql } from 'drizzle-orm';
import type { Tx } from './db/client.ts';
import { withTenant } from './db/tenant.ts';
import { DEMO_CONCENTRATOR } from './demo-estate-meters.ts';
import type { Platform } from './platform.ts';
import type { Actor } from './services/identity/actor.ts';
import { permissionKeys } from './services/identity/permissions.ts';
import { createSchedule, type ScheduleInput } from './services/reading-tasks/schedules.ts';
import { createTask } from './services/reading-tasks/service.ts';
import { zone } from './services/readings/zone.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

/** The demo estate's root area and the campus whose meters hang on the simulated RS-485 line. */
const ESTATE = '演示水务集团';
const CAMPUS = '理工大学东校区';

const demoActor = (tenantId: string): Actor => ({
  kind: 'user',
  id: '00000000-0000-0000-0000-000000000000',
  name: 'demo',
  displayName: '演示数据',
  locale: 'zh-CN',
  tenantId,
  permissions: permissionKeys,
  areaScope: null,
});

async function areaId(tx: Tx, name: string): Promise<string | undefined> {
  const rows = (await tx.execute(
    sql`select id::text as id from areas where name = ${name} order by cardinality(path) limit 1`,
  )) as unknown as { id: string }[];
  return rows[0]?.id;
}

/**
 * The demo's reading schedules: the campus's RS-485 line read in real time every hour, and the
 * whole estate's daily frozen values every night at 01:30 (the tenant's time zone). Seeded with
 * the estate, once: schedules the user changes or deletes stay so.
 */
export async function seedDemoSchedules(tx: Tx, tenantId: string): Promise<number> {
  const estate = await areaId(tx, ESTATE);
  const campus = await areaId(tx, CAMPUS);
  if (!estate || !campus) return 0;
  const wanted: ScheduleInput[] = [
    {
      name: '演示:理工大学东校区 每小时实时抄表',
      target: 'area',
      targetId: campus,
      kind: 'realtime',
      frequency: 'hourly',
      minute: 5,
    },
    {
      name: '演示:全部表计 每日冻结抄表',
      target: 'area',
      targetId: estate,
      kind: 'daily',
      frequency: 'daily',
      hour: 1,
      minute: 30,
    },
  ];
  for (const s of wanted) await createSchedule(tx, demoActor(tenantId), tenantId, s);
  return wanted.length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A whole-estate real-time read of the demo tenant, started when `npm start` has its simulators
 * running, so a new user sees readings arrive. Waits (a few seconds at most) for the demo
 * concentrator to log in first, so its meters are read rather than settled as offline. Answers
 * the task's id, or null when there is no demo estate.
 */
export async function startDemoRead(p: Platform, waitMs = 8_000): Promise<string | null> {
  const tenant = await findTenantByCode(p.db, 'demo');
  if (!tenant) return null;
  const online = async () =>
    withTenant(p.db, tenant.id, async (tx) => {
      const rows = (await tx.execute(
        sql`select online from concentrators where number = ${DEMO_CONCENTRATOR.number}`,
      )) as unknown as { online: boolean }[];
      return rows[0]?.online ?? true;
    });
  for (const t0 = Date.now(); Date.now() - t0 < waitMs && !(await online()); ) await sleep(250);
  return await withTenant(p.db, tenant.id, async (tx) => {
    const estate = await areaId(tx, ESTATE);
    if (!estate) return null;
    return await createTask(
      tx,
      demoActor(tenant.id),
      tenant.id,
      { target: 'area', areaId: estate, kind: 'realtime' },
      { jobs: p.jobs, zone: zone(p.config.QUADMETER_TIMEZONE) },
    );
  });
}
