import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import { tenantSettings } from './settings.ts';
import { bytes, fixture, settingsFor } from './test-support.ts';
import { uplinkReading } from './uplink.ts';

const s = tenantSettings.parse(settingsFor());

describe('ChirpStack up events as readings', () => {
  it('decodes the CJ/T 188 report on fPort 10, routed by DevEUI, keyed by the deduplication id', async () => {
    const r = await uplinkReading(
      TEST_TENANT_ID,
      s,
      fixture.topic,
      bytes(fixture.payload),
      '2026-11-25T00:00:01.000Z',
    );
    expect(r).toEqual({
      ok: true,
      reading: {
        route: { via: 'lora', devEui: '70b3d5fffe000001' },
        kind: 'realtime',
        measuredAt: '2026-11-25T00:00:00.000Z',
        receivedAt: '2026-11-25T00:00:01.000Z',
        registers: { totalVolume: '5', valve: 'open' },
        status: { word: 0, protocol: 'cjt188' },
        idempotencyKey: 'chirpstack:3f0e9c1a-6b2d-4e8f-a1c3-9d7b5e2f4a60',
        raw: expect.stringMatching(/^68100100000000000081161F90/),
        tenantId: TEST_TENANT_ID,
      },
      // the CJ/T 188 meter type (cold water) and address, remembered for valve commands
      meter: { type: 0x10, address: '00000000000001' },
    });
  });

  it('reads a topic under the tenant prefix', async () => {
    const p = tenantSettings.parse(settingsFor({ topicPrefix: 'site1/' }));
    const r = await uplinkReading(TEST_TENANT_ID, p, `site1/${fixture.topic}`, bytes(fixture.payload));
    expect(r.ok).toBe(true);
  });

  it('refuses malformed, foreign and mismatched events with a stable code', async () => {
    const cases: [string, unknown, string][] = [
      [fixture.topic, 'not json', 'LORA_PAYLOAD_INVALID'],
      [fixture.topic, '', 'LORA_PAYLOAD_INVALID'],
      [fixture.topic, { ...fixture.payload, time: 'later' }, 'LORA_PAYLOAD_INVALID'],
      [fixture.topic, { ...fixture.payload, data: '%%%' }, 'LORA_PAYLOAD_INVALID'],
      // the body names another device than the topic
      [
        fixture.topic.replace('70b3d5fffe000001', '70b3d5fffe000002'),
        fixture.payload,
        'LORA_PAYLOAD_INVALID',
      ],
      // another application's topic and body
      [
        fixture.topic.replace('b8c2a6e1', 'c8c2a6e1'),
        {
          ...fixture.payload,
          deviceInfo: {
            ...fixture.payload.deviceInfo,
            applicationId: 'c8c2a6e1-3f1d-4a4e-9d2c-5f0e7a1b2c3d',
          },
        },
        'LORA_PAYLOAD_INVALID',
      ],
      [fixture.topic, { ...fixture.payload, fPort: 2 }, 'LORA_NOT_A_REPORT'],
      [fixture.topic, { ...fixture.payload, data: 'AQIDBA==' }, 'LORA_FRAME_UNREADABLE'],
    ];
    for (const [topic, body, code] of cases) {
      const r = await uplinkReading(TEST_TENANT_ID, s, topic, bytes(body));
      expect(r).toMatchObject({ ok: false, code });
    }
  });
});
