import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../test/platform.ts';
import { loadConfig } from './config.ts';
import { withTenant } from './db/tenant.ts';
import { type DemoField, startDemoField } from './demo-field.ts';
import { createLogger } from './logger.ts';
import { settled } from './services/reading-tasks/engine-fixtures.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

// What `npm start` does with the demo estate: the simulators on every link (RS-485 line, 1376.1
// concentrator over TCP, NB-IoT pushes over HTTP, LoRa over the embedded MQTT broker), the
// transports pointed at them, and a whole-estate read on start.
let field: DemoField | undefined;
let p: TestPlatform;
beforeAll(async () => {
  process.env.QUADMETER_SIM_LORA_INTERVAL = '1';
  field = await startDemoField(loadConfig({ DATABASE_URL: 'postgres://unused/x' }), createLogger('silent'));
  p = await startTestPlatform({
    ...field?.config.pluginEnv,
    QUADMETER_DEMO_ESTATE: 'on',
    QUADMETER_PLUGIN_TRANSPORT_LORA: '{"syncSeconds":1}',
  });
});
afterAll(async () => {
  delete process.env.QUADMETER_SIM_LORA_INTERVAL;
  await field?.stop();
  await p?.stop();
});

describe('the demo field on start', () => {
  it('reads the demo estate on every link once started', async () => {
    expect(field).toBeDefined();
    const db = p.running.platform.db;
    const tenant = (await findTenantByCode(db, 'demo'))!;
    const taskId = await field!.attach(p.running);
    expect(taskId).toEqual(expect.any(String));
    expect(await settled(db, tenant.id, taskId!, 60_000)).toBe('done');
    const rows = (await withTenant(db, tenant.id, (tx) =>
      tx.execute(sql`select coalesce(via, '-') as via, outcome, count(*)::int as n from reading_task_meters
        where task_id = ${taskId} group by 1, 2 order by 1, 2`),
    )) as unknown as { via: string; outcome: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [`${r.via} ${r.outcome}`, r.n]));
    // every installed meter on the line and behind the concentrator (one in 50 of its meters is
    // suspended) read; every NB-IoT meter pushed; LoRa: the few the broker carries, if they came
    // before the read, the rest push_only
    expect(by).toMatchObject({ 'serial ok': 18, 'concentrator ok': 1182 - 23, 'nbiot pushed': 783 });
    expect((by['lora pushed'] ?? 0) + (by['lora push_only'] ?? 0)).toBe(500);
    expect(
      Object.keys(by)
        .filter((k) => !k.startsWith('lora '))
        .sort(),
    ).toEqual(['concentrator ok', 'nbiot pushed', 'serial ok']);
    // the LoRa meters the broker carries arrive as readings through transport-lora
    let lora = 0;
    for (let i = 0; i < 100 && lora < 5; i++) {
      const [r] = (await withTenant(db, tenant.id, (tx) =>
        tx.execute(sql`select count(distinct x.meter_id)::int as n from readings x
          join meter_routes r on r.meter_id = x.meter_id where r.via = 'lora'`),
      )) as unknown as { n: number }[];
      lora = r.n;
      if (lora < 5) await new Promise((ok) => setTimeout(ok, 200));
    }
    expect(lora).toBe(5);
  }, 180_000);
});
