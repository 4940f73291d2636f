import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { nbiotEstate, post, pushBody, type StreamDevice } from './support/nbiot-stream.ts';
import { type ServerProcess, serverEnv, startServer } from './support/server-process.ts';

// kill -9 of a real `quadmeter start` process while NB-IoT meters (the simulators' CJ/T 188
// meters behind a CTWing push) stream readings into its webhook: every push answered 2xx before
// the kill is stored exactly once after the restart, and the platform's retry of everything sent
// leaves each reading exactly once.
const METERS = 6;
const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T00:00:00Z');
const KILL_AFTER = 60;

let t: TestDatabase;
let env: Awaited<ReturnType<typeof serverEnv>>;
let server: ServerProcess | undefined;
let sql: postgres.Sql;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  env = await serverEnv(t.url);
});
afterAll(async () => {
  await server?.stop();
  await sql?.end();
  await env?.cleanup();
  await t?.drop();
});

/** readings per (meter imei, measured hour) */
async function stored(tenantId: string) {
  return await sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    return await tx<{ imei: string; at: string; n: number }[]>`
      select r.address as imei, (extract(epoch from g.ts) * 1000)::bigint::text as at, count(*)::int as n
      from readings g join meter_routes r on r.meter_id = g.meter_id and r.via = 'nbiot'
      group by 1, 2`;
  });
}

describe('kill -9 of the server during ingest', () => {
  it('keeps every acknowledged reading exactly once, and the retry of all sent stores each once', async () => {
    server = await startServer(env);
    const estate = await nbiotEstate(server.url, env.demoPassword, METERS, '71');
    const sent: { d: StreamDevice; at: number }[] = [];
    const acked = new Set<string>();
    let killed = false;
    // one stream per meter, one reading an hour of meter time, as fast as the server answers
    const stream = async (d: StreamDevice) => {
      for (let h = 0; !killed; h++) {
        const at = START + h * HOUR;
        sent.push({ d, at });
        const r = await post(estate.hook(server!.url), pushBody(d, at, estate.hook(server!.url)));
        if (r.status === 0) return;
        expect([r.status, (r.body as { code?: string })?.code]).toEqual([200, 'OK']);
        acked.add(`${d.imei}@${at}`);
        if (acked.size >= KILL_AFTER && !killed) {
          killed = true;
          await server!.kill9();
          return;
        }
      }
    };
    await Promise.all(estate.devices.map(stream));
    expect(killed).toBe(true);
    const ackedAtKill = new Set(acked);

    server = await startServer(env);
    let rows = await stored(estate.tenantId);
    const seen = new Map(rows.map((r) => [`${r.imei}@${r.at}`, r.n]));
    const missing = [...ackedAtKill].filter((k) => seen.get(k) !== 1);
    expect(missing).toEqual([]);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    // the platform (CTWing) redelivers what it sent: duplicates are recognised, the rest stored
    const hook = estate.hook(server.url);
    for (const s of sent) {
      const r = await post(hook, pushBody(s.d, s.at, hook));
      expect(r.status).toBe(200);
    }
    rows = await stored(estate.tenantId);
    expect(rows.length).toBe(new Set(sent.map((s) => `${s.d.imei}@${s.at}`)).size);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    console.log(
      `ingest kill: ${ackedAtKill.size} acknowledged before kill -9, ${sent.length} sent, ${rows.length} stored once each`,
    );
  }, 240_000);
});
