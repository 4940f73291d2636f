import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '../src/api/api-error.ts';
import type { Area } from '../src/api/areas.ts';
import { buildAreaTree, subtreeIds } from '../src/utils/area-tree.ts';
import { toCsv } from '../src/utils/export-table.ts';
import { fieldKind, initialValue, type JsonSchema, toSubmitValue, validate } from '../src/utils/json-schema.ts';

// The admin's pure helpers; they run here because this project is the one that covers admin/.

const area = (id: string, parentId: string | null, sort = 0, name = id): Area => ({
  id,
  parentId,
  name,
  kind: 'other',
  sort,
  path: [],
});

describe('buildAreaTree', () => {
  it('treats a node whose parent is missing from the list as a root', () => {
    const tree = buildAreaTree([area('b', 'a'), area('c', 'b'), area('d', 'b', 1), area('x', null)]);
    expect(tree.map((n) => n.id)).toEqual(['b', 'x']);
    expect(tree[0].children.map((n) => n.id)).toEqual(['c', 'd']);
  });

  it('orders siblings by sort, then name', () => {
    const tree = buildAreaTree([area('r', null), area('z', 'r', 0, '2号楼'), area('y', 'r', 0, '1号楼'), area('w', 'r', -1, '9号楼')]);
    expect(tree[0].children.map((n) => n.label)).toEqual(['9号楼', '1号楼', '2号楼']);
  });

  it('lists a subtree including its root', () => {
    const list = [area('a', null), area('b', 'a'), area('c', 'b'), area('d', 'a')];
    expect([...subtreeIds(list, 'b')].sort()).toEqual(['b', 'c']);
  });
});

describe('toCsv', () => {
  it('quotes separators, escapes quotes and defuses formulas', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: '=1+2', d: -5 }], [
      { title: 'A', value: (r) => r.a },
      { title: 'B', value: (r) => r.b },
      { title: 'C', value: (r) => r.c },
      { title: 'D', value: (r) => r.d },
    ]);
    expect(csv).toBe('A,B,C,D\r\n"x,y","say ""hi""",\'=1+2,-5\r\n');
  });
});

describe('ApiError from a response body', () => {
  it('keeps code, message, request id and field issues', () => {
    const e = toApiError(400, {
      error: { code: 'REQ_VALIDATION', message: 'bad', requestId: 'r1', details: [{ path: ['settings', 'port'], message: 'too big' }] },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.requestId]).toEqual([400, 'REQ_VALIDATION', 'bad', 'r1']);
    expect(e.fieldIssues).toEqual([{ path: 'settings.port', message: 'too big' }]);
  });

  it('gives a body that is not an error envelope a code from the status', () => {
    expect(toApiError(502, '<html>').code).toBe('HTTP_502');
  });
});

describe('settings schema', () => {
  const schema: JsonSchema = {
    type: 'object',
    required: ['apn', 'port'],
    properties: {
      apn: { type: 'string', minLength: 2 },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 5683 },
      ratio: { type: 'number', exclusiveMinimum: 0 },
      mode: { type: 'string', enum: ['push', 'poll'] },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      secret: { type: 'string', format: 'password' },
      note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      retry: {
        type: 'object',
        required: ['times'],
        properties: { times: { type: 'integer', minimum: 0 }, backoff: { type: 'boolean' } },
      },
    },
  };

  it('picks a widget per field', () => {
    const kinds = Object.fromEntries(Object.entries(schema.properties!).map(([k, s]) => [k, fieldKind(s)]));
    expect(kinds).toEqual({
      apn: 'string',
      port: 'integer',
      ratio: 'number',
      mode: 'enum',
      tags: 'string-list',
      secret: 'secret',
      note: 'string',
      retry: 'object',
    });
  });

  it('starts from current settings, then defaults', () => {
    const v = initialValue(schema, { apn: 'cmnet', retry: { times: 3 } }) as Record<string, unknown>;
    expect(v.apn).toBe('cmnet');
    expect(v.port).toBe(5683);
    expect(v.tags).toEqual([]);
    expect(v.retry).toEqual({ times: 3, backoff: false });
  });

  it('reports each offending field by path', () => {
    const value = toSubmitValue(schema, {
      apn: '',
      port: 70000,
      ratio: 0,
      mode: 'push',
      tags: ['a', 'b', 'c'],
      note: '',
      retry: { times: 1.5 },
    });
    const issues = validate(schema, value).map((i) => `${i.path}:${i.key}`);
    expect(issues.sort()).toEqual(['apn:required', 'port:max', 'ratio:gt', 'retry.times:integer', 'tags:maxItems'].sort());
  });

  it('accepts a valid value and drops empty optional fields', () => {
    const value = toSubmitValue(schema, { apn: 'cmnet', port: 5683, ratio: null, mode: 'poll', tags: [], secret: '', retry: { times: 0 } });
    expect(value).toEqual({ apn: 'cmnet', port: 5683, mode: 'poll', tags: [], retry: { times: 0 } });
    expect(validate(schema, value)).toEqual([]);
  });
});

describe('messages', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

  it('English has exactly the keys of Simplified Chinese, none empty', async () => {
    const zh = (await import('../src/i18n/zh-CN.ts')).default;
    const en = (await import('../src/i18n/en.ts')).default;
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    const leaves = (o: object): string[] =>
      Object.values(o).flatMap((v) => (typeof v === 'object' && v ? leaves(v) : [String(v)]));
    expect([...leaves(zh), ...leaves(en)].filter((s) => !s.trim())).toEqual([]);
  });
});
