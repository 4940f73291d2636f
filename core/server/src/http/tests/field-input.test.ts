import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { controlWorld } from './control-fixtures.ts';
import { fieldRows, jpegBytes, manualBody } from './field-fixtures.ts';
import type { ReadingWorld } from './reading-fixtures.ts';

// Bad input to the field routes answers a stable 4xx code and writes nothing: wrong types, NUL
// bytes, huge values and strings, empty bodies, forged and oversized photos, bad list queries.

let w: ReadingWorld;
let fieldA: Client;
let url: string;

beforeAll(async () => {
  w = await controlWorld();
  fieldA = await userWith(w.p, w.admin, 'field-in', ['meters.read', 'readings.manual'], [w.areaA]);
  url = `/api/v1/field/meters/${w.metersA[0]}/manual-readings`;
});
afterAll(async () => w?.p.stop());

const MiB = 1024 * 1024;

/** POSTs a body the server may refuse before reading it all: the answer counts, not the write. */
function postEarly(c: Client, path: string, body: string): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${c.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: c.cookie, 'x-csrf-token': c.csrf },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).error.code }));
    });
    req.on('error', (e) => (req.writableEnded ? undefined : reject(e)));
    req.end(body);
  });
}

describe('manual reading input', () => {
  it('refuses malformed bodies with REQ_VALIDATION / REQ_JSON_MALFORMED, nothing written', async () => {
    const before = await fieldRows(w);
    const good = manualBody('12.5');
    const cases: [unknown, string][] = [
      [{}, 'REQ_VALIDATION'],
      [{ ...good, key: 'not-a-uuid' }, 'REQ_VALIDATION'],
      [{ ...good, value: 12.5 }, 'REQ_VALIDATION'],
      [{ ...good, value: '-1' }, 'REQ_VALIDATION'],
      [{ ...good, value: '1e5' }, 'REQ_VALIDATION'],
      [{ ...good, value: '9'.repeat(13) }, 'REQ_VALIDATION'],
      [{ ...good, value: '' }, 'REQ_VALIDATION'],
      [{ ...good, value: '1\u0000' }, 'REQ_VALIDATION'],
      [{ ...good, note: 'a\u0000b' }, 'REQ_VALIDATION'],
      [{ ...good, note: 'x'.repeat(501) }, 'REQ_VALIDATION'],
      [{ ...good, at: 'yesterday' }, 'REQ_VALIDATION'],
      [{ ...good, extra: 1 }, 'REQ_VALIDATION'],
      [{ ...good, photo: 'abc' }, 'REQ_VALIDATION'],
      [{ ...good, photo: { type: 'image/gif', data: jpegBytes().toString('base64') } }, 'REQ_VALIDATION'],
      [{ ...good, photo: { type: 'image/jpeg', data: '!!not base64!!' } }, 'REQ_VALIDATION'],
      [{ ...good, photo: { type: 'image/jpeg', data: '' } }, 'REQ_VALIDATION'],
      [[good], 'REQ_VALIDATION'],
      [null, 'REQ_VALIDATION'],
    ];
    for (const [body, code] of cases) {
      const r = await fieldA.post(url, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe(code);
    }
    const empty = await fieldA.request('POST', url, '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('REQ_JSON_MALFORMED');
    const broken = await fieldA.request('POST', url, '{"key":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('REQ_JSON_MALFORMED');
    expect(await fieldRows(w)).toEqual(before);
  });

  it('refuses forged and oversized photos and a reading dated in the future, nothing written', async () => {
    const before = await fieldRows(w);
    // text declared as a JPEG; a PNG declared as a JPEG; an executable header
    for (const data of [
      Buffer.from('<svg onload=alert(1)>'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      Buffer.from('MZ\x90\x00\x03'),
    ]) {
      const r = await fieldA.post(url, {
        ...manualBody('1'),
        photo: { type: 'image/jpeg', data: data.toString('base64') },
      });
      expect(r.status).toBe(415);
      expect(r.body.error.code).toBe('FIELD_PHOTO_INVALID');
    }
    // 2 MiB + 1 byte: just over the limit, inside the body limit
    const big = await fieldA.post(url, manualBody('1', jpegBytes(2 * MiB - 3)));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('FIELD_PHOTO_TOO_LARGE');
    // a body beyond the route's 3 MiB limit is refused before it is parsed
    const huge = await postEarly(fieldA, url, JSON.stringify(manualBody('1', jpegBytes(3 * MiB))));
    expect(huge).toEqual({ status: 413, code: 'REQ_BODY_TOO_LARGE' });
    // other routes keep the ordinary limit
    const elsewhere = await postEarly(
      fieldA,
      '/api/v1/reading-tasks',
      JSON.stringify({ pad: 'x'.repeat(2 * MiB) }),
    );
    expect(elsewhere).toEqual({ status: 413, code: 'REQ_BODY_TOO_LARGE' });
    const future = await fieldA.post(url, {
      ...manualBody('1'),
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('FIELD_TIME_INVALID');
    const ancient = await fieldA.post(url, { ...manualBody('1'), at: '2020-01-01T00:00:00Z' });
    expect(ancient.body.error.code).toBe('FIELD_TIME_INVALID');
    expect(await fieldRows(w)).toEqual(before);
  });

  it('a 2 MiB photo exactly is accepted', async () => {
    const r = await fieldA.post(url, manualBody('3', jpegBytes(2 * MiB - 4)));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });

  it('answers 404 for an unknown meter or photo, 400 for a malformed id', async () => {
    const before = await fieldRows(w);
    const unknown = await fieldA.post(
      `/api/v1/field/meters/${randomUUID()}/manual-readings`,
      manualBody('1'),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const bad = await fieldA.post('/api/v1/field/meters/x%00y/manual-readings', manualBody('1'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQ_VALIDATION');
    const photo = await fieldA.get(`/api/v1/field/manual-readings/${randomUUID()}/photo`);
    expect(photo.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const badKey = await fieldA.get('/api/v1/field/manual-readings/nope/photo');
    expect(badKey.body.error.code).toBe('REQ_VALIDATION');
    expect(await fieldRows(w)).toEqual(before);
  });
});

describe('work list query', () => {
  it('refuses bad filters, positions and cursors with stable codes', async () => {
    const cases: [string, string][] = [
      ['state=bogus', 'REQ_VALIDATION'],
      ['lat=abc&lng=1', 'REQ_VALIDATION'],
      ['lat=91&lng=1', 'REQ_VALIDATION'],
      ['lat=1&lng=-181', 'REQ_VALIDATION'],
      ['lat=31', 'REQ_VALIDATION'],
      ['limit=0', 'REQ_VALIDATION'],
      ['limit=100000', 'REQ_VALIDATION'],
      ['limit=1.5', 'REQ_VALIDATION'],
      ['after=%00', 'REQ_VALIDATION'],
      [`after=${'A'.repeat(3000)}`, 'REQ_VALIDATION'],
      ['after=garbage', 'LIST_CURSOR_INVALID'],
    ];
    for (const [q, code] of cases) {
      const r = await fieldA.get(`/api/v1/field/meters?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe(code);
    }
    // an asset-order cursor is no cursor for a nearest-first list
    const page = await fieldA.get('/api/v1/field/meters?limit=1');
    expect(page.body.next).not.toBeNull();
    const mixed = await fieldA.get(`/api/v1/field/meters?lat=31&lng=121&after=${page.body.next}`);
    expect(mixed.body.error.code).toBe('LIST_CURSOR_INVALID');
  });
});
