import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { type Area, archiveCounts, demoAreas, inDemo } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let areas: Record<string, Area>;
let existing: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  existing = (
    await admin.post('/api/v1/customers', { name: '原样', number: 'KEEP-1', areaId: areas['2号楼'].id })
  ).body.id;
});
afterAll(async () => p?.stop());

const ok = () => ({ name: '张三', areaId: areas['2号楼'].id });

describe('bad customer input answers a stable code and writes nothing', () => {
  it.each([
    ['empty body', () => ({}), 'REQ_VALIDATION'],
    ['wrong types', () => ({ name: 5, areaId: areas['2号楼'].id, tags: 'vip' }), 'REQ_VALIDATION'],
    ['NUL in name', () => ({ ...ok(), name: 'a\u0000b' }), 'REQ_VALIDATION'],
    ['NUL in a tag', () => ({ ...ok(), tags: ['a\u0000'] }), 'REQ_VALIDATION'],
    ['NUL in a custom value', () => ({ ...ok(), custom: { x: '\u0000' } }), 'REQ_VALIDATION'],
    ['unknown field', () => ({ ...ok(), tenantId: 'forged' }), 'REQ_VALIDATION'],
    ['bad type', () => ({ ...ok(), type: 'alien' }), 'REQ_VALIDATION'],
    ['bad phone', () => ({ ...ok(), phone: 'call me' }), 'REQ_VALIDATION'],
    ['huge name', () => ({ ...ok(), name: 'x'.repeat(101) }), 'REQ_VALIDATION'],
    [
      'huge fact value',
      () => ({ ...ok(), facts: [{ kind: 'household_size', effectiveFrom: '2024-01-01', value: 1e300 }] }),
      'REQ_VALIDATION',
    ],
    [
      'impossible date',
      () => ({ ...ok(), facts: [{ kind: 'household_size', effectiveFrom: '2024-02-30', value: 2 }] }),
      'REQ_VALIDATION',
    ],
    ['number and rule both', () => ({ ...ok(), number: 'N1', numberPrefix: 'W' }), 'REQ_VALIDATION'],
    ['number with spaces', () => ({ ...ok(), number: 'N 1' }), 'REQ_VALIDATION'],
    ['area not a uuid', () => ({ ...ok(), areaId: 'nowhere' }), 'REQ_VALIDATION'],
    [
      'unknown area',
      () => ({ ...ok(), areaId: '00000000-0000-4000-8000-000000000000' }),
      'AREA_OUT_OF_SCOPE',
    ],
    ['taken number', () => ({ ...ok(), number: 'KEEP-1' }), 'RESOURCE_CONFLICT'],
    ['unknown custom field', () => ({ ...ok(), custom: { nosuch: 'x' } }), 'CUSTOM_FIELD_INVALID'],
  ])('%s', async (_name, body, code) => {
    const before = await archiveCounts(p);
    const r = await admin.post('/api/v1/customers', body());
    expect(r.body.error?.code).toBe(code);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await archiveCounts(p)).toEqual(before);
  });

  it('refuses malformed JSON, an empty PATCH, bad ids and repeated query parameters', async () => {
    const before = await archiveCounts(p);
    expect((await admin.post('/api/v1/customers', '{"name": ')).body.error.code).toBe('REQ_JSON_MALFORMED');
    expect((await admin.patch(`/api/v1/customers/${existing}`, {})).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.patch(`/api/v1/customers/${existing}`, { status: 'gone' })).body.error.code).toBe(
      'REQ_VALIDATION',
    );
    expect((await admin.patch(`/api/v1/customers/${existing}`, { number: null })).body.error.code).toBe(
      'REQ_VALIDATION',
    );
    expect((await admin.get('/api/v1/customers/not-a-uuid')).body.error.code).toBe('REQ_VALIDATION');
    const twice = await admin.get('/api/v1/customers?tag=a&tag=b');
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.get('/api/v1/customers?q=%00')).body.error.code).toBe('REQ_VALIDATION');
    expect(await archiveCounts(p)).toEqual(before);
    expect((await admin.get(`/api/v1/customers/${existing}`)).body).toMatchObject({
      name: '原样',
      status: 'active',
    });
  });
});

describe('custom fields', () => {
  const label = (zh: string) => ({ 'zh-CN': zh, en: zh });
  beforeAll(async () => {
    for (const f of [
      { key: 'meter_book', label: label('抄表册'), type: 'text', required: true, sort: 1 },
      { key: 'heating', label: label('采暖方式'), type: 'select', options: ['集中', '自采暖'], sort: 2 },
      { key: 'floor', label: label('楼层'), type: 'number', sort: 3 },
      { key: 'since', label: label('开户日期'), type: 'date', sort: 4 },
      { key: 'has_dog', label: label('有狗'), type: 'boolean', sort: 5 },
    ]) {
      const r = await admin.post('/api/v1/custom-fields', { entity: 'customer', ...f });
      expect(r.status, f.key).toBe(201);
    }
  });

  it('lists the definitions in order with exact values', async () => {
    const items = (await admin.get('/api/v1/custom-fields?entity=customer')).body.items;
    expect(items.map((f: { key: string }) => f.key)).toEqual([
      'meter_book',
      'heating',
      'floor',
      'since',
      'has_dog',
    ]);
    expect(items[1]).toEqual({
      entity: 'customer',
      key: 'heating',
      label: label('采暖方式'),
      type: 'select',
      required: false,
      options: ['集中', '自采暖'],
      sort: 2,
    });
    expect((await admin.get('/api/v1/custom-fields?entity=meter')).body.items).toEqual([]);
  });

  it.each([
    ['missing required', {}, 'custom.meter_book', 'required'],
    ['unknown field', { meter_book: 'A1', nosuch: 1 }, 'custom.nosuch', 'unknown custom field'],
    [
      'bad select option',
      { meter_book: 'A1', heating: '地暖' },
      'custom.heating',
      'must be one of: 集中, 自采暖',
    ],
    ['number as text', { meter_book: 'A1', floor: '3' }, 'custom.floor', 'must be a finite number'],
    [
      'impossible date',
      { meter_book: 'A1', since: '2025-13-01' },
      'custom.since',
      'must be a date YYYY-MM-DD',
    ],
    ['boolean as text', { meter_book: 'A1', has_dog: 'yes' }, 'custom.has_dog', 'must be true or false'],
    ['required as null', { meter_book: null }, 'custom.meter_book', 'required'],
  ])(
    'refuses %s with CUSTOM_FIELD_INVALID naming the field, writing nothing',
    async (_n, custom, path, message) => {
      const before = await archiveCounts(p);
      const r = await admin.post('/api/v1/customers', { ...ok(), custom });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('CUSTOM_FIELD_INVALID');
      expect(r.body.error.details).toContainEqual({ path, message });
      expect(await archiveCounts(p)).toEqual(before);
    },
  );

  it('stores valid values exactly, clears with null, and keeps required ones', async () => {
    const custom = { meter_book: 'A1-03', heating: '集中', floor: 6, since: '2024-02-29', has_dog: false };
    const made = await admin.post('/api/v1/customers', { ...ok(), number: 'CF-1', custom });
    expect(made.status).toBe(201);
    expect(made.body.custom).toEqual(custom);
    const cleared = await admin.patch(`/api/v1/customers/${made.body.id}`, {
      custom: { heating: null, floor: 7 },
    });
    expect(cleared.body.custom).toEqual({
      meter_book: 'A1-03',
      floor: 7,
      since: '2024-02-29',
      has_dog: false,
    });
    const bad = await admin.patch(`/api/v1/customers/${made.body.id}`, { custom: { meter_book: null } });
    expect(bad.body.error.code).toBe('CUSTOM_FIELD_INVALID');
    const [row] = await inDemo(p, (tx) =>
      tx.execute(sql`select custom from customers where number = 'CF-1'`),
    );
    expect(row.custom).toEqual({ meter_book: 'A1-03', floor: 7, since: '2024-02-29', has_dog: false });
  });

  it('validates definitions and their changes', async () => {
    const before = await archiveCounts(p);
    const def = (extra: object) => ({
      entity: 'customer',
      key: 'k1',
      label: label('k'),
      type: 'text',
      ...extra,
    });
    for (const [body, code] of [
      [def({ type: 'select' }), 'REQ_VALIDATION'],
      [def({ type: 'select', options: ['a', 'a'] }), 'REQ_VALIDATION'],
      [def({ options: ['a'] }), 'REQ_VALIDATION'],
      [def({ key: 'Bad-Key' }), 'REQ_VALIDATION'],
      [def({ entity: 'tenant' }), 'REQ_VALIDATION'],
      [def({ sort: 40000 }), 'REQ_VALIDATION'],
      [def({ label: { 'zh-CN': 'x' } }), 'REQ_VALIDATION'],
      [def({ key: 'heating' }), 'RESOURCE_CONFLICT'],
    ] as [object, string][]) {
      expect((await admin.post('/api/v1/custom-fields', body)).body.error.code, JSON.stringify(body)).toBe(
        code,
      );
    }
    const path = '/api/v1/custom-fields/customer/heating';
    expect((await admin.patch(path, {})).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.patch(path, { type: 'text' })).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.patch(path, { options: [] })).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.patch('/api/v1/custom-fields/customer/nosuch', { sort: 1 })).body.error.code).toBe(
      'RESOURCE_NOT_FOUND',
    );
    expect(await archiveCounts(p)).toEqual(before);
    const changed = await admin.patch(path, { options: ['集中', '自采暖', '地暖'], required: false });
    expect(changed.body.options).toEqual(['集中', '自采暖', '地暖']);
  });

  it('a removed definition drops out of values on the next change', async () => {
    const id = (
      await admin.post('/api/v1/customers', {
        ...ok(),
        number: 'CF-2',
        custom: { meter_book: 'B', has_dog: true },
      })
    ).body.id;
    expect((await admin.delete('/api/v1/custom-fields/customer/has_dog')).status).toBe(204);
    expect(
      (await admin.post('/api/v1/customers', { ...ok(), custom: { meter_book: 'B', has_dog: true } })).body
        .error.code,
    ).toBe('CUSTOM_FIELD_INVALID');
    const next = await admin.patch(`/api/v1/customers/${id}`, { custom: { meter_book: 'C' } });
    expect(next.body.custom).toEqual({ meter_book: 'C' });
    const audit = (await admin.get('/api/v1/audit?action=custom-fields.delete')).body.items;
    expect(audit[0]).toMatchObject({ targetType: 'custom_field', targetId: 'customer.has_dog' });
  });
});
