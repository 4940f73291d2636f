import { type Cjt188Meter, type ElectricityMeter, ManualClock } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { seedDemoTariffs } from '../../demo-tariffs.ts';
import { createLogger } from '../../logger.ts';
import { settledCommand, startTestDispatcher, type TestDispatcher } from '../commands/dispatcher-fixtures.ts';
import type { Actor } from '../identity/actor.ts';
import { openShift } from '../payments/shifts.ts';
import { takePayment } from '../payments/take-payment.ts';
import { settled, startTask, startTestEngine, type TestEngine } from '../reading-tasks/engine-fixtures.ts';
import { Field } from '../reading-tasks/test-transport.ts';
import { addMeters, ingestTenant } from '../readings/ingest-fixtures.ts';
import { saveHolidays } from './calendar.ts';
import { addDays, dayIn } from './deduction/days.ts';
import { deductDay } from './deduction/run.ts';
import { prepaidNotify } from './notices.ts';
import { saveLevel } from './policy.ts';
import { BUILTIN_POLICY } from './policy-types.ts';
import { prepaidAccount } from './prepaid-fixtures.ts';
import { type SupplyLine, startSupplyLine } from './supply-line-fixtures.ts';
import { type PrepaidWorker, startPrepaidWorker } from './worker.ts';

// A scripted month of software prepaid, end to end. A shop on the demo's tariffs (seedDemoTariffs:
// Beijing monthly tiered electricity, non-resident water) prepays for a DL/T 645-2007 meter with a
// relay and a CJ/T 188 water meter with a valve on a simulated RS-485 line behind a TCP serial
// server. Every scripted day at midnight the meters are read through the reading engine (the power
// meter's daily freeze, the water meter in real time by its own clock), the next morning at 01:00
// the day is deducted, and the prepaid worker evaluates the account at the scripted hour. The
// balance walks normal → alarm 1 → alarm 2 → overdraft → exhausted; the day it runs out is in the
// tenant's holiday calendar, so the cut waits past the holiday and the following night; the relay
// trips and the valve closes (read back by the outbox), supply stops; three days later the
// customer pays at the counter and supply is restored, read back again. Every crossing notifies
// exactly once, through the real notification outbox.
//
// The month is the 30 days before today: the engine reads daily freezes of the last 31 days only.
const Z = 'Asia/Shanghai';
const LINE = 'month-bus';
const POWER = '210000000091';
const WATER = '11000000000091';
const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);
const TODAY = dayIn(Z);
const FIRST = addDays(TODAY, -30);

let t: TestDatabase;
let e: TestEngine;
let d: TestDispatcher;
let w: PrepaidWorker;
let line: SupplyLine;
let clock: ManualClock;
let power: ElectricityMeter;
let water: Cjt188Meter;
let tenant: { tenantId: string; areaId: string };
let cashier: Actor;
const ids: Record<string, string> = {};

const q = <T>(text: ReturnType<typeof sql>) =>
  withTenant(t.database.db, tenant.tenantId, (tx) => tx.execute(text)) as unknown as Promise<T[]>;

beforeAll(async () => {
  t = await createTestDatabase();
  clock = new ManualClock(at(FIRST, '00:00'));
  // 0.6 kW all day (14.4 kWh) and 0.04 m³/h (0.96 m³)
  line = await startSupplyLine({
    clock,
    power: { address: POWER, initialEnergy: 500, kw: 0.6 },
    water: { address: WATER, initialVolume: 20, m3h: 0.04 },
  });
  ({ power, water } = line);
  const configFor = (id: string) => (id === 'transport-rs485' ? { lines: { [LINE]: line.url } } : undefined);
  e = await startTestEngine(t.url, new Field(), {}, { configFor });
  d = await startTestDispatcher(t.url, { configFor });
  const db = t.database.db;
  tenant = await ingestTenant(db, 'pp-month');
  [ids.power, ids.water] = await addMeters(db, tenant, [
    {
      kind: 'meter-power',
      protocol: 'dlt645-2007',
      comm: POWER,
      via: 'serial',
      line: LINE,
      digits: 6,
      initial: '500',
    },
    { kind: 'meter-water', protocol: 'cjt188', comm: WATER, via: 'serial', line: LINE, initial: '20' },
  ]);
  ids.account = await prepaidAccount(db, tenant, 'shop', [ids.power, ids.water]);
  await withTenant(db, tenant.tenantId, async (tx) => {
    await tx.execute(sql`insert into plugin_settings (tenant_id, plugin_id, enabled)
      values (${tenant.tenantId}, 'transport-rs485', true)`);
    await tx.execute(
      sql`update meters set control = case when kind = 'meter-power' then 'relay' else 'valve' end`,
    );
    await tx.execute(sql`update customers set type = 'commercial', phone = '13900000091'`);
    await seedDemoTariffs(tx);
    await saveLevel(
      tx,
      tenant.tenantId,
      { level: 'tenant' },
      { ...BUILTIN_POLICY, overdraftLimitFen: 500, reconnectThresholdFen: 1000 },
    );
    const [admin] = await tx.execute<{ id: string }>(
      sql`select id::text as id from users where username = 'admin'`,
    );
    cashier = {
      kind: 'user',
      id: admin.id,
      name: 'admin',
      displayName: '收费员',
      locale: 'zh-CN',
      tenantId: tenant.tenantId,
      permissions: new Set(['payments.collect']),
      areaScope: null,
    };
    await openShift(tx, cashier, tenant.tenantId, {});
  });
  w = await startPrepaidWorker({
    database: d.database,
    jobs: d.jobs,
    logger: createLogger('silent'),
    timeZone: Z,
    notify: prepaidNotify,
    cron: false,
  });
});

afterAll(async () => {
  await w?.stop();
  await d?.stop();
  await e?.stop();
  await line?.close();
  await t?.drop();
});

interface Row {
  state: string;
  cutDueAt: string | null;
  commandIds: string[];
}
const prepaidRow = async () =>
  (
    await q<Row>(sql`select state, cut_due_at as "cutDueAt", command_ids::text[] as "commandIds"
      from prepaid_accounts where account_id = ${ids.account}`)
  )[0];
const balance = async () =>
  (
    await q<{ fen: number }>(sql`select coalesce(sum(amount_fen), 0)::int as fen from ledger_entries
    where account_id = ${ids.account}`)
  )[0].fen;
const drain = (ms: number) => w.drain(tenant.tenantId, ms);
/** Drives the account's commands in flight to their end, then lets the worker see them. */
async function settleCommands(now: number) {
  for (const id of (await prepaidRow()).commandIds) {
    const c = await settledCommand(d, tenant.tenantId, id);
    expect(c.status, `command ${id}`).toBe('confirmed');
  }
  await drain(now);
}

/** Midnight opening `day`: the freezes of the day before are read, power and water. */
async function readMidnight(day: string) {
  clock.set(at(day, '00:00'));
  power.advance();
  water.advance();
  const frozen = await startTask(e, tenant.tenantId, {
    target: 'meters',
    meterIds: [ids.power],
    kind: 'daily',
    frozenFor: day,
    rounds: 3,
  });
  const now = await startTask(e, tenant.tenantId, {
    target: 'meters',
    meterIds: [ids.water],
    kind: 'realtime',
    rounds: 3,
    fallback: false,
  });
  expect(await settled(e.database.db, tenant.tenantId, frozen)).toBe('done');
  expect(await settled(e.database.db, tenant.tenantId, now)).toBe('done');
}

describe('a scripted month of software prepaid', () => {
  it('deducts daily as readings arrive, warns once per crossing, cuts after the holiday and night, reconnects on payment', async () => {
    // the shop tops up 80.00 at the counter on the first morning
    const pay = async (fen: bigint, day: string, key: string) =>
      withTenant(t.database.db, tenant.tenantId, (tx) =>
        takePayment(
          tx,
          cashier,
          tenant.tenantId,
          { accountId: ids.account, method: 'cash', amountFen: fen, idempotencyKey: key },
          day,
          { enabled: true, cardTerminal: true, maxCashFen: 0 },
        ),
      );
    await pay(8000n, FIRST, 'month-topup');
    await drain(at(FIRST, '09:00'));
    expect((await prepaidRow()).state).toBe('normal');

    const states: Record<string, string> = {};
    let exhaustedOn: string | null = null;
    let paidOn: string | null = null;
    for (let used = FIRST; used < TODAY; used = addDays(used, 1)) {
      const morning = addDays(used, 1);
      await readMidnight(morning);
      clock.set(at(morning, '01:00'));
      await deductDay(t.database.db, tenant.tenantId, used);
      if (!exhaustedOn && (await balance()) <= -500) {
        // the scripted calendar: the day the money runs out is a public holiday
        exhaustedOn = morning;
        const year = Number(morning.slice(0, 4));
        await withTenant(t.database.db, tenant.tenantId, (tx) =>
          saveHolidays(tx, tenant.tenantId, year, [{ day: morning, kind: 'holiday', name: '假日' }]),
        );
      }
      await drain(at(morning, '01:00'));
      let row = await prepaidRow();
      if (exhaustedOn === morning) {
        // warned now; the cut is due 30 minutes later, but 01:30 is night, the day a holiday, and
        // the holiday ends at midnight inside the next night: the cut waits for 08:00 the day after
        expect(row.state).toBe('cut_pending');
        expect(Date.parse(row.cutDueAt as string)).toBe(at(addDays(morning, 1), '08:00'));
        await drain(at(morning, '08:30'));
        await drain(at(morning, '23:00'));
        expect((await prepaidRow()).commandIds).toEqual([]);
      }
      if (row.state === 'cut_pending' && row.cutDueAt && Date.parse(row.cutDueAt) <= at(morning, '08:00')) {
        await drain(at(morning, '08:01'));
        row = await prepaidRow();
        expect(row.commandIds).toHaveLength(2);
        await settleCommands(at(morning, '08:05'));
        expect((await prepaidRow()).state).toBe('cut');
        // read back on the simulators: relay open, valve closed, nothing flows
        expect(power.relay.state).toBe('tripped');
        expect(water.valve).toBe('closed');
      }
      if (exhaustedOn && !paidOn && morning === addDays(exhaustedOn, 4)) {
        // the customer pays 200.00 at the counter at 10:00
        paidOn = morning;
        await pay(20000n, morning, 'month-pay');
        await drain(at(morning, '10:00'));
        row = await prepaidRow();
        expect(row.state).toBe('reconnect_pending');
        expect(row.commandIds).toHaveLength(2);
        await settleCommands(at(morning, '10:05'));
        expect(power.relay.state).toBe('closed');
        expect(water.valve).toBe('open');
      }
      states[used] = `${(await prepaidRow()).state} ${await balance()}`;
    }
    expect(exhaustedOn, JSON.stringify(states)).not.toBeNull();
    expect(paidOn, JSON.stringify(states)).not.toBeNull();

    // the walk, crossing by crossing
    const events = await q<{ kind: string; to: string; notice: string | null }>(sql`
      select kind, to_state as "to", notice from prepaid_events where account_id = ${ids.account} order by seq`);
    expect(events.map((x) => x.to)).toEqual([
      'alarm1',
      'alarm2',
      'overdraft',
      'cut_pending',
      'cut',
      'reconnect_pending',
      'normal',
    ]);
    // one notice per crossing (and one for each counter payment), never twice
    const notices = await q<{ event: string; n: number }>(sql`
      select event, count(*)::int as n from notify_outbox where account_id = ${ids.account}
      group by event order by event`);
    expect(Object.fromEntries(notices.map((n) => [n.event, n.n]))).toEqual({
      'cut-done': 1,
      'cut-warning': 1,
      'low-balance-1': 1,
      'low-balance-2': 1,
      overdraft: 1,
      'payment-received': 2,
      reconnected: 1,
    });
    // every day deducted once per meter; the cut days used nothing
    const posted = await q<{ key: string; n: number }>(sql`
      select business_key as key, count(*)::int as n from ledger_entries
      where account_id = ${ids.account} and business_key like 'deduct:%' group by business_key having count(*) > 1`);
    expect(posted).toEqual([]);
    const cutDays = await q<{ day: string; usage: string }>(sql`
      select day::text as day, sum(usage)::text as usage from consumption_daily
      where meter_id in (${ids.power}, ${ids.water}) and day > ${addDays(exhaustedOn as string, 1)}::date
        and day < ${paidOn}::date group by day order by day`);
    expect(cutDays.map((c) => Number(c.usage))).toEqual([0, 0]);
    // and the ledger's balance is what the entries say
    const [cached] = await q<{ fen: number }>(sql`select balance_fen::int as fen from account_balances
      where account_id = ${ids.account}`);
    expect(cached.fen).toBe(await balance());
  }, 300_000);
});
