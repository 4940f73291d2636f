import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { postEntries } from '../../services/billing/ledger/index.ts';
import { entry } from '../../services/billing/ledger/ledger-fixtures.ts';
import { inDemo, userWith } from './archive-fixtures.ts';
import { controlWorld } from './control-fixtures.ts';
import { fetchPhoto, fieldRows, jpegBytes, manualBody, pngBytes } from './field-fixtures.ts';
import { finished, type ReadingWorld } from './reading-fixtures.ts';

// The field app's routes: a field user (抄表员) scoped to area A lists, reads and enters manual
// readings only for A's meters; another tenant sees nothing; a user without readings.manual or
// meters.control is refused; a manual reading's key replayed answers the same entry, once.

let w: ReadingWorld;
let fieldA: Client;
let viewer: Client;
let entryB: string;
const FIELD = ['meters.read', 'meters.read-now', 'meters.control', 'readings.manual'];

beforeAll(async () => {
  w = await controlWorld();
  fieldA = await userWith(w.p, w.admin, 'field-a', FIELD, [w.areaA]);
  viewer = await userWith(w.p, w.admin, 'field-view', ['meters.read']);
  // an entry on a meter of area B, made by the whole-tenant admin
  const made = await w.admin.post(
    `/api/v1/field/meters/${w.metersB[0]}/manual-readings`,
    manualBody('5', pngBytes(), 'image/png'),
  );
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  entryB = made.body.key;
});
afterAll(async () => w?.p.stop());

describe('field routes across tenants', () => {
  it('answer 404 for another tenant’s meters and photos, list nothing and write nothing', async () => {
    const before = await fieldRows(w);
    const probes = [
      w.other.get(`/api/v1/field/meters/${w.metersA[0]}`),
      w.other.post(`/api/v1/field/meters/${w.metersA[0]}/manual-readings`, manualBody('1')),
      w.other.get(`/api/v1/field/manual-readings/${entryB}/photo`),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await w.other.get('/api/v1/field/meters')).body.items).toEqual([]);
    expect(await fieldRows(w)).toEqual(before);
  });
});

describe('a field user scoped to area A', () => {
  it('lists only area A’s meters', async () => {
    const list = await fieldA.get('/api/v1/field/meters');
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { id: string }) => m.id).sort()).toEqual([...w.metersA].sort());
  });

  it('cannot see, read, command or enter a reading for a meter in area B: 404, nothing written', async () => {
    const before = await fieldRows(w);
    const b = w.metersB[0];
    const card = await fieldA.get(`/api/v1/field/meters/${b}`);
    expect(card.status).toBe(404);
    expect(card.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const manual = await fieldA.post(
      `/api/v1/field/meters/${b}/manual-readings`,
      manualBody('9', jpegBytes()),
    );
    expect(manual.status).toBe(404);
    expect(manual.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const photo = await fieldA.get(`/api/v1/field/manual-readings/${entryB}/photo`);
    expect(photo.status).toBe(404);
    expect(photo.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const cmd = await fieldA.post(`/api/v1/meters/${b}/commands`, { action: 'relay-trip', reason: '欠费' });
    expect(cmd.status).toBe(404);
    expect(cmd.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const read = await fieldA.post('/api/v1/reading-tasks', {
      target: 'meter',
      meterId: b,
      kind: 'realtime',
    });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await fieldRows(w)).toEqual(before);
  });

  it('enters a manual reading with a photo in area A; the same key again answers it once (200)', async () => {
    const before = await fieldRows(w);
    const photo = jpegBytes(1000);
    const body = manualBody('123.5', photo);
    const first = await fieldA.post(`/api/v1/field/meters/${w.metersA[0]}/manual-readings`, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      key: body.key,
      value: '123.5',
      hasPhoto: true,
      photoType: 'image/jpeg',
    });
    const again = await fieldA.post(`/api/v1/field/meters/${w.metersA[0]}/manual-readings`, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await fieldRows(w)).toEqual({
      ...before,
      entries: before.entries + 1,
      manual: before.manual + 1,
      audits: before.audits + 1,
    });
    // the key for another value or meter is a conflict, nothing written
    const reused = await fieldA.post(`/api/v1/field/meters/${w.metersA[0]}/manual-readings`, {
      ...body,
      value: '124',
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('FIELD_KEY_REUSED');
    const other = await fieldA.post(`/api/v1/field/meters/${w.metersA[1]}/manual-readings`, body);
    expect(other.body.error.code).toBe('FIELD_KEY_REUSED');
    expect((await fieldRows(w)).entries).toBe(before.entries + 1);
    // shown on the card beside the readings, marked manual; the photo comes back byte for byte
    const card = await fieldA.get(`/api/v1/field/meters/${w.metersA[0]}`);
    expect(card.status).toBe(200);
    expect(card.body.manual[0]).toMatchObject({ key: body.key, value: '123.5', enteredByName: 'field-a' });
    expect(card.body.readings[0]).toMatchObject({ kind: 'manual', value: '123.5' });
    expect(card.body.meter.lastValue).toBe('123.5');
    expect(card.body.meter.states).not.toContain('not-read-today');
    const got = await fetchPhoto(fieldA, body.key);
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/jpeg');
    expect(got.bytes.equals(photo)).toBe(true);
  });

  it('filters by state: not read today, valve closed, in arrears', async () => {
    const [a0, a1] = w.metersA;
    const ids = async (state: string) =>
      ((await fieldA.get(`/api/v1/field/meters?state=${state}`)).body.items as { id: string }[]).map(
        (m) => m.id,
      );
    await fieldA.post(`/api/v1/field/meters/${a1}/manual-readings`, manualBody('7'));
    expect(await ids('not-read-today')).toEqual([]);
    // a confirmed relay trip on a0 → closed; a later confirmed relay close on a1 after a trip → open
    await inDemo(w.p, async (tx) => {
      for (const [m, action, age] of [
        [a0, 'relay-trip', 2],
        [a1, 'relay-trip', 3],
        [a1, 'relay-close', 1],
      ] as const)
        await tx.execute(sql`insert into meter_commands (tenant_id, meter_id, area_id, action, status, source,
            expires_at, created_at, updated_at)
          select tenant_id, id, area_id, ${action}, 'confirmed', 'operator', now() + interval '1 hour',
            now() - make_interval(mins => ${age}), now() - make_interval(mins => ${age}) from meters where id = ${m}`);
    });
    expect(await ids('valve-closed')).toEqual([a0]);
    expect(await ids('in-arrears')).toEqual([]);
    expect(await ids('failed-read')).toEqual([]);
    const card = await fieldA.get(`/api/v1/field/meters/${a0}`);
    expect(card.body.meter.states).toContain('valve-closed');
  });

  it('lists nearest first when the phone shares its position, keyset-paged', async () => {
    const [a0, a1] = w.metersA;
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update meters set lat = case when id = ${a0} then 31.2310 else 31.2400 end, lng = 121.4700
        where id in (${a0}, ${a1})`),
    );
    const near1 = await fieldA.get('/api/v1/field/meters?lat=31.2401&lng=121.47&limit=1');
    expect(near1.status).toBe(200);
    expect(near1.body.items.map((m: { id: string }) => m.id)).toEqual([a1]);
    expect(near1.body.items[0].distanceM).toBe(11);
    const near2 = await fieldA.get(
      `/api/v1/field/meters?lat=31.2401&lng=121.47&limit=1&after=${near1.body.next}`,
    );
    expect(near2.body.items.map((m: { id: string }) => m.id)).toEqual([a0]);
    expect(near2.body.next).toBeNull();
    // a cursor made for another position is refused
    const moved = await fieldA.get(`/api/v1/field/meters?lat=31&lng=121&after=${near1.body.next}`);
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('LIST_CURSOR_INVALID');
  });
});

describe('field states from the reading and device tables', () => {
  it('a meter whose last read failed, and one behind an offline concentrator, are flagged', async () => {
    const [a0, a1] = w.metersA;
    const ids = async (state: string) =>
      ((await fieldA.get(`/api/v1/field/meters?state=${state}`)).body.items as { id: string }[]).map(
        (m) => m.id,
      );
    const [{ address }] = (await inDemo(w.p, (tx) =>
      tx.execute(sql`select comm_address as address from meters where id = ${a0}`),
    )) as unknown as { address: string }[];
    w.field.faults.set(address, { fault: 'error', times: Number.POSITIVE_INFINITY });
    try {
      const task = await fieldA.post('/api/v1/reading-tasks', {
        target: 'meter',
        meterId: a0,
        kind: 'realtime',
        rounds: 0,
        fallback: false,
      });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const done = await finished(fieldA, task.body.task.id);
      expect(done.summary.failed).toBe(1);
    } finally {
      w.field.faults.delete(address);
    }
    expect(await ids('failed-read')).toEqual([a0]);
    await inDemo(w.p, async (tx) => {
      const [c] = (await tx.execute(sql`insert into concentrators (tenant_id, number, a1, a2, area_id, online)
        select tenant_id, 'FIELD-C1', '3501', 4242, area_id, false from meters where id = ${a1}
        returning id`)) as unknown as { id: string }[];
      await tx.execute(sql`update meter_routes set concentrator_id = ${c.id} where meter_id = ${a1}`);
    });
    expect(await ids('offline-concentrator')).toEqual([a1]);
    const card = await fieldA.get(`/api/v1/field/meters/${a1}`);
    expect(card.body.meter.states).toContain('offline-concentrator');
    // a0 on an account that owes ¥123.45: in arrears, the balance in integer fen
    await inDemo(w.p, async (tx) => {
      const [c] = (await tx.execute(sql`insert into customers (tenant_id, number, name, area_id)
        select tenant_id, 'FC1', '现场户', area_id from meters where id = ${a0} returning id`)) as unknown as {
        id: string;
      }[];
      const [acc] = (await tx.execute(sql`insert into accounts (tenant_id, customer_id, number)
        values (app_tenant_id(), ${c.id}, 'FA1') returning id`)) as unknown as { id: string }[];
      await tx.execute(sql`update meters set account_id = ${acc.id} where id = ${a0}`);
      await postEntries(tx, [
        entry(acc.id, 'charge', -12345, 'field:arrears', { category: 'usage', occurredOn: '2026-11-30' }),
      ]);
    });
    expect(await ids('in-arrears')).toEqual([a0]);
    const owed = await fieldA.get(`/api/v1/field/meters/${a0}`);
    expect(owed.body.meter).toMatchObject({ balanceFen: '-12345', accountNo: 'FA1', customerName: '现场户' });
  });
});

describe('field permissions', () => {
  it('a user without readings.manual or meters.control is refused with AUTH_FORBIDDEN, nothing written', async () => {
    const before = await fieldRows(w);
    const manual = await viewer.post(`/api/v1/field/meters/${w.metersA[0]}/manual-readings`, manualBody('1'));
    expect(manual.status).toBe(403);
    expect(manual.body.error.code).toBe('AUTH_FORBIDDEN');
    const cmd = await viewer.post(`/api/v1/meters/${w.metersA[0]}/commands`, {
      action: 'relay-trip',
      reason: 'x',
    });
    expect(cmd.status).toBe(403);
    expect(cmd.body.error.code).toBe('AUTH_FORBIDDEN');
    const read = await viewer.post('/api/v1/reading-tasks', {
      target: 'meter',
      meterId: w.metersA[0],
      kind: 'realtime',
    });
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('AUTH_FORBIDDEN');
    // the viewer may still look
    expect((await viewer.get(`/api/v1/field/meters/${w.metersA[0]}`)).status).toBe(200);
    expect(await fieldRows(w)).toEqual(before);
  });

  it('the field user holds less than an override: a keep-power meter is not cut, nor with override asked', async () => {
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update meters set keep_power = true where id = ${w.metersA[1]}`),
    );
    const before = await fieldRows(w);
    const cut = await fieldA.post(`/api/v1/meters/${w.metersA[1]}/commands`, {
      action: 'relay-trip',
      reason: '欠费',
    });
    expect(cut.status).toBe(409);
    expect(cut.body.error.code).toBe('CONTROL_KEEP_POWER');
    const forced = await fieldA.post(`/api/v1/meters/${w.metersA[1]}/commands`, {
      action: 'relay-trip',
      reason: '欠费',
      override: true,
    });
    expect(forced.status).toBe(403);
    expect(forced.body.error.code).toBe('AUTH_FORBIDDEN');
    expect(await fieldRows(w)).toEqual(before);
  });

  it('the built-in 抄表员 role holds the field permissions', async () => {
    const roles = (await w.admin.get('/api/v1/roles')).body.items as {
      builtinKey: string | null;
      permissions: string[];
    }[];
    const reader = roles.find((r) => r.builtinKey === 'reader');
    expect(reader?.permissions).toEqual(expect.arrayContaining(FIELD));
    expect(randomUUID()).toMatch(/-/);
  });
});
