import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../common/bytes.ts';
import {
  buildChirpstackDownlink,
  buildChirpstackUp,
  buildCtwingPush,
  buildIotdaPush,
  buildOneNetPush,
  buildOneNetUrlCheck,
  parseChirpstack,
  parseChirpstackDownlink,
  parseCtwing,
  parseIotda,
  parseOneNet,
  verifyOneNetPush,
  verifyOneNetUrl,
} from './index.ts';

const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 });
const eui = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => bytesToHex(b).toLowerCase());
const when = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const token = fc.string({ minLength: 1, maxLength: 32 });
const aesKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((k) => Buffer.from(k).toString('base64').slice(0, 43));

describe('push builders round-trip through the parsers', () => {
  it('chirpstack up and downlink', () => {
    fc.assert(
      fc.property(
        eui,
        bytes,
        fc.integer({ min: 1, max: 223 }),
        fc.nat(),
        when,
        fc.boolean(),
        (devEui, b, fPort, fCnt, time, confirmed) => {
          const up = buildChirpstackUp({ applicationId: 'app-1', devEui, fPort, fCnt, bytes: b, time });
          const e = parseChirpstack(up.json, up.topic);
          expect(e).toMatchObject({
            kind: 'uplink',
            devEui,
            bytes: bytesToHex(b),
            time: time.toISOString(),
            meta: { fPort, fCnt },
          });
          const down = buildChirpstackDownlink({
            applicationId: 'app-1',
            devEui,
            fPort,
            confirmed,
            bytes: b,
          });
          expect(parseChirpstackDownlink(down.topic, down.json)).toMatchObject({
            devEui,
            fPort,
            confirmed,
            bytes: bytesToHex(b),
          });
        },
      ),
    );
  });

  it('ctwing data reports and status', () => {
    fc.assert(
      fc.property(
        bytes,
        fc.integer({ min: 946684800000, max: 4070908800000 }),
        fc.boolean(),
        (b, timestamp, online) => {
          const common = {
            deviceId: 'd1',
            productId: 'p1',
            tenantId: 't1',
            imei: '869975031234567',
            timestamp,
          };
          const e = parseCtwing(
            JSON.stringify(buildCtwingPush({ ...common, messageType: 'dataReport', bytes: b })),
          );
          expect(e).toMatchObject({
            kind: 'uplink',
            bytes: bytesToHex(b),
            imei: '869975031234567',
            time: new Date(timestamp).toISOString(),
          });
          expect(
            parseCtwing(buildCtwingPush({ ...common, messageType: 'deviceOnlineOfflineReport', online }))
              .kind,
          ).toBe(online ? 'online' : 'offline');
        },
      ),
    );
  });

  it('onenet studio, classic and secure-mode pushes, and URL checks', () => {
    fc.assert(
      fc.property(
        token,
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)),
        fc.string(),
        aesKey,
        (tok, value, urlMsg, key) => {
          const studio = {
            deviceName: 'm1',
            productId: 'p',
            messageType: 'notify',
            notifyType: 'property',
            data: { id: '1', params: { v: { value, time: 1718000000000 } } },
          };
          const [s] = parseOneNet(JSON.stringify(buildOneNetPush(studio, tok)), tok);
          expect(s.properties).toEqual({ v: JSON.parse(JSON.stringify(value)) });
          const classic = { at: 1718000000000, type: 1, ds_id: 'flow', value, dev_id: 9 };
          expect(parseOneNet(buildOneNetPush(classic, tok, { form: 'classic' }), tok)[0].properties).toEqual({
            flow: JSON.parse(JSON.stringify(value)),
          });
          const secure = buildOneNetPush(classic, tok, { form: 'classic', aesKey: key });
          expect(verifyOneNetPush(secure, tok).encrypted).toBe(true);
          expect(parseOneNet(secure, tok, { aesKey: key })[0].deviceId).toBe('9');
          expect(() => parseOneNet(buildOneNetPush(classic, tok), `${tok}x`)).toThrow(
            expect.objectContaining({ code: 'PAYLOAD_SIGNATURE_INVALID' }),
          );
          if (urlMsg !== '') expect(verifyOneNetUrl(buildOneNetUrlCheck(tok, urlMsg), tok)).toBe(urlMsg);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('iotda messages, properties and status', () => {
    fc.assert(
      fc.property(bytes, when, fc.constantFrom<'base64' | 'hex'>('base64', 'hex'), (b, time, encoding) => {
        const common = { deviceId: 'p_869975031234567', productId: 'p', nodeId: '869975031234567', time };
        const m = parseIotda(buildIotdaPush({ ...common, resource: 'device.message', bytes: b, encoding }), {
          contentEncoding: encoding,
        });
        expect(m).toMatchObject({
          kind: 'uplink',
          bytes: bytesToHex(b),
          imei: '869975031234567',
          time: time.toISOString(),
        });
        const p = parseIotda(
          buildIotdaPush({
            ...common,
            resource: 'device.property',
            services: [{ serviceId: 's', properties: { n: b.length } }],
          }),
        );
        expect(p.properties).toEqual({ n: b.length });
        expect(
          parseIotda(buildIotdaPush({ ...common, resource: 'device.status', status: 'ONLINE' })).kind,
        ).toBe('online');
      }),
    );
  });
});
