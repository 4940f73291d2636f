import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  Dlt645Device,
  ElectricityMeter,
  ManualClock,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { createLogger } from '../../logger.ts';
import { settledCommand, startTestDispatcher, type TestDispatcher } from '../commands/dispatcher-fixtures.ts';
import { addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { evaluateAccount } from './evaluate.ts';
import { retrySupply, setKeepPower } from './manual.ts';
import { saveLevel } from './policy.ts';
import { BUILTIN_POLICY } from './policy-types.ts';
import { noticeRecorder, post, prepaidAccount } from './prepaid-fixtures.ts';
import { prepaidBoard } from './read.ts';
import { type PrepaidWorker, startPrepaidWorker } from './worker.ts';

// The prepaid state machine end to end: ledger postings mark accounts by trigger, the worker
// evaluates them, cuts and reconnects go through the command outbox over a real RS-485 line to a
// simulated DL/T 645-2007 meter (relay) and a CJ/T 188 water meter (valve), and the state advances
// only when the outbox has read the effect back.
const LINE = 'pp-bus';
const POWER = '210000000077';
const WATER = '11000000000077';
const KEEP = '210000000078';
/** on the line's table but not on the bus until the test plugs it in */
const LATE = '210000000079';
const HELD = '210000000080';

let t: TestDatabase;
let d: TestDispatcher;
let w: PrepaidWorker;
let bus: Rs485Bus;
let server: TcpSerialServer;
let tenant: { tenantId: string; areaId: string };
let power: ElectricityMeter;
let water: Cjt188Meter;
let keepMeter: ElectricityMeter;
const ids: Record<string, string> = {};
const rec = noticeRecorder();
/** Wednesday 2 December 2026, 10:00 in Shanghai */
const T0 = Date.parse('2026-12-02T10:00:00+08:00');
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestDatabase();
  bus = new Rs485Bus({ baud: 2400, seed: 11 });
  const clock = new ManualClock(Date.now());
  power = new ElectricityMeter({ address: POWER, clock, initialEnergy: 100 });
  keepMeter = new ElectricityMeter({ address: KEEP, clock, initialEnergy: 100 });
  water = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address: WATER, clock, initialVolume: 5 });
  bus.addDevice(new Dlt645Device(power, 20));
  bus.addDevice(new Dlt645Device(keepMeter, 20));
  bus.addDevice(new Cjt188Device(water, 20));
  server = await startTcpSerialServer(bus);
  d = await startTestDispatcher(t.url, {
    configFor: (id) =>
      id === 'transport-rs485' ? { lines: { [LINE]: `tcp://127.0.0.1:${server.port}` } } : undefined,
  });
  const db = t.database.db;
  tenant = await ingestTenant(db, 'pp-walk');
  const relay = {
    kind: 'meter-power',
    protocol: 'dlt645-2007',
    via: 'serial' as const,
    line: LINE,
    digits: 6,
  };
  [ids.power, ids.water, ids.keep, ids.late, ids.held] = await addMeters(db, tenant, [
    { ...relay, comm: POWER },
    { comm: WATER, via: 'serial', line: LINE },
    { ...relay, comm: KEEP },
    { ...relay, comm: LATE },
    { ...relay, comm: HELD },
  ]);
  await withTenant(db, tenant.tenantId, async (tx) => {
    await tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
      values (${tenant.tenantId}, 'transport-rs485', true)`);
    await tx.execute(
      sql`update meters set control = case when kind = 'meter-power' then 'relay' else 'valve' end`,
    );
    await saveLevel(
      tx,
      tenant.tenantId,
      { level: 'tenant' },
      {
        ...BUILTIN_POLICY,
        alarm1Fen: 5000,
        alarm2Fen: 2000,
        overdraftLimitFen: 1000,
        cutDelayMinutes: 30,
        reconnectThresholdFen: 3000,
        hoardingLimitFen: 100_000,
      },
    );
  });
  ids.walk = await prepaidAccount(db, tenant, 'walk', [ids.power, ids.water]);
  ids.keepAcct = await prepaidAccount(db, tenant, 'keep', [ids.keep]);
  ids.night = await prepaidAccount(db, tenant, 'night');
  ids.failAcct = await prepaidAccount(db, tenant, 'fail', [ids.late]);
  ids.heldAcct = await prepaidAccount(db, tenant, 'held', [ids.held]);
  ids.race = await prepaidAccount(db, tenant, 'race');
  ids.postpaid = await prepaidAccount(db, tenant, 'post', [], 'postpaid');
  w = await startPrepaidWorker({
    database: d.database,
    jobs: d.jobs,
    logger: createLogger('silent'),
    timeZone: 'Asia/Shanghai',
    notify: rec.notify,
    cron: false,
  });
});

afterAll(async () => {
  await w?.stop();
  await d?.stop();
  await server?.close();
  bus?.close();
  await t?.drop();
});

type Row = {
  state: string;
  cutDueAt: string | null;
  commandIds: string[];
  commandStatus: string;
  seq: number;
};
async function prepaidRow(accountId: string): Promise<Row> {
  const [r] = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
    tx.execute(sql`select state, cut_due_at as "cutDueAt", command_ids::text[] as "commandIds",
      command_status as "commandStatus", seq from prepaid_accounts where account_id = ${accountId}`),
  )) as unknown as Row[];
  return r;
}
async function events(accountId: string) {
  return (await withTenant(t.database.db, tenant.tenantId, (tx) =>
    tx.execute(sql`select seq, kind, from_state as "from", to_state as "to", notice, notice_key as "noticeKey"
      from prepaid_events where account_id = ${accountId} order by seq`),
  )) as unknown as {
    seq: number;
    kind: string;
    from: string;
    to: string;
    notice: string | null;
    noticeKey: string;
  }[];
}
const noticesOf = (accountId: string) =>
  rec.sent.filter((n) => n.accountId === accountId).map((n) => n.event);
const drain = (at: number) => w.drain(tenant.tenantId, at);
async function settleAll(accountId: string) {
  const row = await prepaidRow(accountId);
  for (const id of row.commandIds) await settledCommand(d, tenant.tenantId, id);
}
async function commandsFor(meterId: string) {
  return (await withTenant(t.database.db, tenant.tenantId, (tx) =>
    tx.execute(
      sql`select action, status, source from meter_commands where meter_id = ${meterId} order by created_at`,
    ),
  )) as unknown as { action: string; status: string; source: string }[];
}

describe('prepaid state machine', () => {
  it('walks an account through every state by ledger postings and time, one notice per crossing', async () => {
    const a = ids.walk;
    await post(t.database.db, tenant.tenantId, a, 6000);
    await drain(T0);
    expect((await prepaidRow(a)).state).toBe('normal');
    await post(t.database.db, tenant.tenantId, a, -1500); // 45.00
    await drain(T0);
    expect((await prepaidRow(a)).state).toBe('alarm1');
    await post(t.database.db, tenant.tenantId, a, -3000); // 15.00
    await drain(T0);
    expect((await prepaidRow(a)).state).toBe('alarm2');
    await post(t.database.db, tenant.tenantId, a, -2000, 'adjustment'); // -5.00
    await drain(T0);
    expect((await prepaidRow(a)).state).toBe('overdraft');
    await post(t.database.db, tenant.tenantId, a, -600); // -11.00, beyond the 10.00 credit
    await drain(T0);
    let row = await prepaidRow(a);
    expect(row.state).toBe('cut_pending');
    expect(Date.parse(row.cutDueAt as string)).toBe(T0 + 30 * MIN);
    // before the delay runs out nothing is sent
    await drain(T0 + 10 * MIN);
    expect(await commandsFor(ids.power)).toEqual([]);
    // the delay ran out: a relay trip and a valve close go to the outbox, the state waits for them
    await drain(T0 + 31 * MIN);
    row = await prepaidRow(a);
    expect(row).toMatchObject({ state: 'cut_pending', commandStatus: 'in_flight' });
    expect(row.commandIds).toHaveLength(2);
    await settleAll(a);
    expect(power.relay.state).toBe('tripped');
    expect(water.valve).toBe('closed');
    // the ended commands marked the account by trigger: the next pass makes it cut
    await drain(T0 + 32 * MIN);
    expect((await prepaidRow(a)).state).toBe('cut');
    // a top-up below the reconnect threshold (30.00) keeps it cut
    await post(t.database.db, tenant.tenantId, a, 2000); // 9.00
    await drain(T0 + 40 * MIN);
    expect((await prepaidRow(a)).state).toBe('cut');
    await post(t.database.db, tenant.tenantId, a, 3000); // 39.00
    await drain(T0 + 41 * MIN);
    expect((await prepaidRow(a)).state).toBe('reconnect_pending');
    await settleAll(a);
    expect(power.relay.state).not.toBe('tripped');
    expect(water.valve).toBe('open');
    await drain(T0 + 42 * MIN);
    expect((await prepaidRow(a)).state).toBe('alarm1');
    expect(noticesOf(a)).toEqual([
      'low-balance-1',
      'low-balance-2',
      'overdraft',
      'cut-warning',
      'cut-done',
      'reconnected',
    ]);
    const ev = await events(a);
    expect(ev.map((e) => e.kind)).toEqual([
      'alarm1',
      'alarm2',
      'overdraft',
      'cut-warning',
      'cut-done',
      'reconnect-pending',
      'reconnected',
    ]);
    expect(ev.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const keys = rec.sent.filter((n) => n.accountId === a).map((n) => n.key);
    expect(keys).toEqual(ev.filter((e) => e.notice).map((e) => e.noticeKey));
    expect(keys.every((k) => k.startsWith(`prepaid:${a}:`))).toBe(true);
    // repeated evaluation changes nothing
    for (let i = 0; i < 3; i++)
      await withTenant(t.database.db, tenant.tenantId, (tx) =>
        evaluateAccount(tx, w.deps, tenant.tenantId, a, T0 + 50 * MIN),
      );
    expect(await events(a)).toHaveLength(7);
    expect(noticesOf(a)).toHaveLength(6);
    expect((await commandsFor(ids.power)).map((c) => `${c.action}:${c.status}:${c.source}`)).toEqual([
      'relay-trip:confirmed:prepaid',
      'relay-close:confirmed:prepaid',
    ]);
  });

  it('a top-up above a threshold re-arms its edge; the next fall notifies again', async () => {
    const a = ids.walk; // alarm1 at 39.00
    await post(t.database.db, tenant.tenantId, a, 2000); // 59.00: normal
    await drain(T0 + 60 * MIN);
    expect((await prepaidRow(a)).state).toBe('normal');
    await post(t.database.db, tenant.tenantId, a, -1000); // 49.00: alarm1 again
    await drain(T0 + 61 * MIN);
    expect((await prepaidRow(a)).state).toBe('alarm1');
    expect(noticesOf(a).slice(-1)).toEqual(['low-balance-1']);
    expect((await events(a)).slice(-2).map((e) => e.kind)).toEqual(['recovered', 'alarm1']);
  });

  it('defers a cut falling in the night window, then past a holiday, to the window end', async () => {
    const a = ids.night;
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into prepaid_holidays (tenant_id, day, kind, name)
        values (${tenant.tenantId}, '2026-12-03', 'holiday', 'test holiday')`),
    );
    const evening = Date.parse('2026-12-02T21:50:00+08:00');
    await post(t.database.db, tenant.tenantId, a, -1500); // -15.00 ≤ -10.00
    await drain(evening);
    const row = await prepaidRow(a);
    expect(row.state).toBe('cut_pending');
    // 22:20 is in the night; the night ends on a holiday, which runs to the next night's end
    expect(row.cutDueAt && new Date(row.cutDueAt).toISOString()).toBe(
      new Date('2026-12-04T08:00:00+08:00').toISOString(),
    );
    await drain(Date.parse('2026-12-03T12:00:00+08:00'));
    expect((await prepaidRow(a)).commandStatus).toBe('none');
    // at the window's end the balance is checked again: paid meanwhile, no cut at all
    await post(t.database.db, tenant.tenantId, a, 1000); // -5.00: overdraft, not exhausted
    await drain(Date.parse('2026-12-04T08:00:00+08:00'));
    expect((await prepaidRow(a)).state).toBe('overdraft');
    expect(noticesOf(a)).toEqual(['cut-warning']);
    // exhausted again late on Friday: the cut waits for the night to end, then goes out
    await post(t.database.db, tenant.tenantId, a, -1000); // -15.00
    await drain(Date.parse('2026-12-04T21:45:00+08:00'));
    const again = await prepaidRow(a);
    expect(again.cutDueAt && new Date(again.cutDueAt).toISOString()).toBe(
      new Date('2026-12-05T08:00:00+08:00').toISOString(),
    );
    await drain(Date.parse('2026-12-05T07:59:00+08:00'));
    expect((await prepaidRow(a)).state).toBe('cut_pending');
    await drain(Date.parse('2026-12-05T08:00:00+08:00'));
    // no controllable meter: nothing to send, the account is cut at once
    expect((await prepaidRow(a)).state).toBe('cut');
    expect(noticesOf(a)).toEqual(['cut-warning', 'cut-warning', 'cut-done']);
  });

  it('never trips a keep-power account, whatever the time', async () => {
    const a = ids.keepAcct;
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      setKeepPower(tx, w.deps, tenant.tenantId, a, true, 'test', T0),
    );
    await post(t.database.db, tenant.tenantId, a, -5000);
    await drain(T0);
    expect((await prepaidRow(a)).state).toBe('cut_pending');
    expect((await prepaidRow(a)).cutDueAt).toBeNull();
    for (const dt of [31, 600, 3000]) await drain(T0 + dt * MIN);
    expect(await commandsFor(ids.keep)).toEqual([]);
    expect(keepMeter.relay.state).not.toBe('tripped');
    expect((await prepaidRow(a)).state).toBe('cut_pending');
  });

  it('switching keep-power off lets the pending cut go out at once outside the windows', async () => {
    const a = ids.keepAcct;
    const friday = Date.parse('2026-12-04T10:00:00+08:00');
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      setKeepPower(tx, w.deps, tenant.tenantId, a, false, 'test', friday),
    );
    expect((await prepaidRow(a)).commandStatus).toBe('in_flight');
    await settleAll(a);
    expect(keepMeter.relay.state).toBe('tripped');
    await drain(friday + MIN);
    expect((await prepaidRow(a)).state).toBe('cut');
    expect((await events(a)).map((e) => e.kind)).toEqual([
      'keep-power-on',
      'alarm2', // a new account at 0.00 is below alarm 2
      'cut-warning',
      'keep-power-off',
      'cut-done',
    ]);
  });

  it('an account whose every meter keeps power by itself (保电 on the meter) is never tripped', async () => {
    const a = ids.heldAcct;
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`update meters set keep_power = true where id = ${ids.held}`),
    );
    await post(t.database.db, tenant.tenantId, a, -5000);
    await drain(T0);
    for (const dt of [31, 600, 3000]) await drain(T0 + dt * MIN);
    expect(await commandsFor(ids.held)).toEqual([]);
    expect(await prepaidRow(a)).toMatchObject({ state: 'cut_pending', cutDueAt: null });
    expect((await events(a)).map((e) => e.kind)).toEqual(['cut-warning']);
  });

  it('records exactly one event per crossing under concurrent evaluation', async () => {
    const a = ids.race;
    await post(t.database.db, tenant.tenantId, a, -2500); // exhausted at once
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withTenant(t.database.db, tenant.tenantId, (tx) =>
          evaluateAccount(tx, w.deps, tenant.tenantId, a, T0),
        ),
      ),
    );
    await drain(T0);
    const ev = await events(a);
    expect(ev.map((e) => e.kind)).toEqual(['cut-warning']);
    expect(noticesOf(a)).toEqual(['cut-warning']);
  });

  it('a cut the meter never confirms is shown to the operator, and a retry by hand completes it', async () => {
    const a = ids.failAcct;
    await post(t.database.db, tenant.tenantId, a, -5000);
    await drain(T0);
    await drain(T0 + 31 * MIN);
    await settleAll(a);
    await drain(T0 + 32 * MIN);
    const row = await prepaidRow(a);
    expect(row).toMatchObject({ state: 'cut_pending', commandStatus: 'failed' });
    expect((await events(a)).map((e) => e.kind)).toEqual(['cut-warning', 'cut-failed']);
    const board = await withTenant(t.database.db, tenant.tenantId, (tx) =>
      prepaidBoard(tx, { areaScope: null } as never),
    );
    expect(board.failed).toBe(1);
    // the meter answers now; the operator retries
    const late = new ElectricityMeter({
      address: LATE,
      clock: new ManualClock(Date.now()),
      initialEnergy: 1,
    });
    bus.addDevice(new Dlt645Device(late, 20));
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      retrySupply(tx, w.deps, tenant.tenantId, a, 'test', T0 + 40 * MIN),
    );
    await settleAll(a);
    expect(late.relay.state).toBe('tripped');
    await drain(T0 + 41 * MIN);
    expect(await prepaidRow(a)).toMatchObject({ state: 'cut', commandStatus: 'none' });
    expect((await events(a)).map((e) => e.kind)).toEqual(['cut-warning', 'cut-failed', 'retry', 'cut-done']);
    expect(noticesOf(a)).toEqual(['cut-warning', 'cut-done']);
  });

  it('leaves a postpaid account alone', async () => {
    await post(t.database.db, tenant.tenantId, ids.postpaid, -9000);
    await drain(T0);
    expect(await prepaidRow(ids.postpaid)).toBeUndefined();
    expect(noticesOf(ids.postpaid)).toEqual([]);
  });
});
