import { describe, expect, it } from 'vitest';
import { buildOneNetPush, parseOneNet } from './onenet.ts';

const TOKEN = 'result-token';
const base = {
  type: 7,
  cmd_id: 'c0ffee00-0000-4000-8000-000000000001',
  imei: '860000000000501',
  dev_id: 501,
};

describe('OneNET type-7 (cached command result) pushes', () => {
  it('carry no `at`: the time is the confirmation’s, else the sending’s (ms or China local text)', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ send_time: 1_796_000_000_000, confirm_time: 1_796_000_005_000 }, '2026-11-30T00:53:25.000Z'],
      [{ send_time: '2026-11-30 08:00:00', send_status: 4 }, '2026-11-30T00:00:00.000Z'],
      [{ at: 1_796_000_000_000, send_status: 5 }, '2026-11-30T00:53:20.000Z'],
    ];
    for (const [extra, time] of cases) {
      const [ev] = parseOneNet(buildOneNetPush({ ...base, ...extra }, TOKEN, { form: 'classic' }), TOKEN);
      expect(ev).toMatchObject({ kind: 'command-response', deviceId: '501', imei: base.imei, time });
      expect(ev.meta.cmd_id).toBe(base.cmd_id);
    }
  });

  it('an unreadable time does not refuse the result; a forged signature does', () => {
    const [ev] = parseOneNet(
      buildOneNetPush({ ...base, send_time: 'yesterday', send_status: 5, confirm_status: 0 }, TOKEN, {
        form: 'classic',
      }),
      TOKEN,
    );
    expect(ev.meta).toMatchObject({ send_status: 5, confirm_status: 0 });
    expect(Date.parse(ev.time)).not.toBeNaN();
    const forged = buildOneNetPush({ ...base, send_status: 5 }, 'another-token', { form: 'classic' });
    expect(() => parseOneNet(forged, TOKEN)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_SIGNATURE_INVALID' }),
    );
  });
});
