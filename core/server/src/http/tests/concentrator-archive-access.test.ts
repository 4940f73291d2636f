import type { ConcentratorSim } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { inDemo, userWith } from './archive-fixtures.ts';
import {
  type ArchiveWorld,
  archiveWorld,
  dial,
  downloadAudits,
  GDW,
} from './concentrator-archive-fixtures.ts';

// Who may read a concentrator's table back and push the archive into it, and what bad input gets.
let w: ArchiveWorld;
let sim: ConcentratorSim;
let scopedB: Client;
let scopedA: Client;
let reader: Client;
let stranger: Client;
beforeAll(async () => {
  w = await archiveWorld();
  sim = await dial(w, 81);
  scopedB = await userWith(w.p, w.admin, 'ops-b', ['meters.read', 'meters.control'], [w.areaB]);
  scopedA = await userWith(w.p, w.admin, 'ops-a', ['meters.read', 'meters.control'], [w.areaA]);
  reader = await userWith(w.p, w.admin, 'reader', ['meters.read'], []);
  stranger = await userWith(w.p, w.admin, 'billing', ['billing.read'], []);
});
afterAll(async () => {
  await Promise.all(w?.sims.map((s) => s.stop()) ?? []);
  await w?.p.stop();
});

const archive = (id: string) => `/api/v1/concentrators/${id}/archive`;
const download = (id: string) => `/api/v1/concentrators/${id}/archive/download`;

/** The concentrator's table must not have changed and no download been audited. */
async function untouched(audits: number) {
  expect(sim.params.records()).toEqual([]);
  expect(await downloadAudits(w)).toBe(audits);
}

describe('archive routes across tenants', () => {
  it('answer 404 to another tenant and touch nothing', async () => {
    const audits = await downloadAudits(w);
    for (const r of [
      await w.other.get(archive(w.con[81])),
      await w.other.post(download(w.con[81]), {}),
      await w.other.post(download(w.con[81]), { removeExtra: true }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    await untouched(audits);
  });
});

describe('archive routes within a user’s areas', () => {
  it('hide concentrators outside the user’s areas and serve the ones inside', async () => {
    const audits = await downloadAudits(w);
    for (const r of [await scopedB.get(archive(w.con[81])), await scopedB.post(download(w.con[81]), {})]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    await untouched(audits);
    // inside its own area the same user gets through to the (offline) concentrator
    const own = await scopedB.get(archive(w.con[82]));
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('GATEWAY_OFFLINE');
    const a = await scopedA.get(archive(w.con[81]));
    expect(a.status).toBe(200);
    expect(a.body.counts).toEqual({ match: 0, missing: 3, extra: 0, mismatch: 0 });
  });
});

describe('archive route privileges', () => {
  it('let meters.read compare but not download; without meters.read not even compare', async () => {
    const audits = await downloadAudits(w);
    expect((await reader.get(archive(w.con[81]))).status).toBe(200);
    const push = await reader.post(download(w.con[81]), {});
    expect(push.status).toBe(403);
    expect(push.body.error.code).toBe('AUTH_FORBIDDEN');
    for (const r of [await stranger.get(archive(w.con[81])), await stranger.post(download(w.con[81]), {})]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    await untouched(audits);
  });
});

describe('archive route input', () => {
  it('answers stable 400s to bad ids and bodies, with nothing written', async () => {
    const audits = await downloadAudits(w);
    const id = w.con[81];
    const cases: [Promise<{ status: number; body: { error: { code: string } } }>, string][] = [
      [w.admin.get(archive('not-a-uuid')), 'REQ_VALIDATION'],
      [w.admin.get(archive(`${'a'.repeat(5000)}`)), 'REQ_VALIDATION'],
      [w.admin.post(download('not-a-uuid'), {}), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: 'all' }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: [] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: [0] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: [2041] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: [1.5] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: ['1'] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: ['\u0000'] }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { points: [1e308] }), 'REQ_VALIDATION'],
      [
        w.admin.post(download(id), { points: Array.from({ length: 2041 }, (_, i) => (i % 2040) + 1) }),
        'REQ_VALIDATION',
      ],
      [w.admin.post(download(id), { removeExtra: 'yes' }), 'REQ_VALIDATION'],
      [w.admin.post(download(id), { removeExtra: true, extra: 1 }), 'REQ_VALIDATION'],
      [w.admin.request('POST', download(id), 'null'), 'REQ_VALIDATION'],
      [w.admin.request('POST', download(id), ''), 'REQ_JSON_MALFORMED'],
      [w.admin.post(download(id), []), 'REQ_VALIDATION'],
      [w.admin.post(download(id), '{"points":'), 'REQ_JSON_MALFORMED'],
    ];
    for (const [pending, code] of cases) {
      const r = await pending;
      expect([r.status, r.body.error.code]).toEqual([400, code]);
    }
    await untouched(audits);
  });

  it('answers 404 for an unknown concentrator, GATEWAY_REMOVED for a removed one', async () => {
    const unknown = await w.admin.get(archive('00000000-0000-4000-8000-000000000000'));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect((await w.admin.patch(`/api/v1/concentrators/${w.con[82]}`, { status: 'removed' })).status).toBe(
      200,
    );
    const removed = await w.admin.post(download(w.con[82]), {});
    expect([removed.status, removed.body.error.code]).toEqual([409, 'GATEWAY_REMOVED']);
    expect((await w.admin.patch(`/api/v1/concentrators/${w.con[82]}`, { status: 'active' })).status).toBe(
      200,
    );
  });

  it('answers CONTROL_UNSUPPORTED when no enabled transport can read the table', async () => {
    await inDemo(w.p, (tx) =>
      tx.execute(sql`update plugin_settings set enabled = false where plugin_id = ${GDW}`),
    );
    try {
      const audits = await downloadAudits(w);
      for (const r of [await w.admin.get(archive(w.con[81])), await w.admin.post(download(w.con[81]), {})]) {
        expect([r.status, r.body.error.code]).toEqual([409, 'CONTROL_UNSUPPORTED']);
      }
      await untouched(audits);
    } finally {
      await inDemo(w.p, (tx) =>
        tx.execute(sql`update plugin_settings set enabled = true where plugin_id = ${GDW}`),
      );
    }
  });
});
