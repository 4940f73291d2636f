import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../common/bytes.ts';
import {
  cjt188ReplyHex,
  chirpstackFixtures as cs,
  ctwingFixtures as ct,
  dlt645ReplyHex,
  iotdaFixtures as hw,
  mbusReplyHex,
  oneNetFixtures as on,
  oneNetToken,
} from './fixtures.ts';
import {
  buildChirpstackDownlink,
  decodeDeviceBytes,
  oneNetSignature,
  parseChirpstack,
  parseChirpstackDownlink,
  parseChirpstackTopic,
  parseCtwing,
  parseIotda,
  parseOneNet,
  sniffFrame,
  verifyOneNetPush,
  verifyOneNetUrl,
} from './index.ts';

const code = (c: string) => expect.objectContaining({ code: c });

describe('chirpstack', () => {
  it('parses topics, including shared subscriptions', () => {
    expect(parseChirpstackTopic(`$share/qm/${cs.upTopic}`)).toEqual({
      applicationId: '6b1f64a2-2a0e-4a3c-9d55-0c2f3b8e7a11',
      devEui: '70b3d57ed005a1b2',
      type: 'event',
      name: 'up',
    });
    expect(parseChirpstackTopic(cs.downTopic)).toMatchObject({ type: 'command', name: 'down' });
    for (const t of [
      'application/x/device/70b3d57ed005a1b2/event/nope',
      'application/x/device/70b3/event/up',
      'app/x/device/70b3d57ed005a1b2/event/up',
      'application//device/70b3d57ed005a1b2/event/up',
    ]) {
      expect(() => parseChirpstackTopic(t)).toThrow(code('PAYLOAD_INVALID'));
    }
  });

  it('parses an uplink with its bytes, best gateway and radio data', () => {
    const e = parseChirpstack(cs.up, cs.upTopic);
    expect(e).toMatchObject({
      platform: 'chirpstack',
      kind: 'uplink',
      deviceId: '70b3d57ed005a1b2',
      devEui: '70b3d57ed005a1b2',
      time: '2024-06-10T06:20:00.123Z',
      bytes: cjt188ReplyHex,
      meta: {
        fCnt: 118,
        fPort: 8,
        dr: 2,
        rssi: -88,
        snr: 8.5,
        gateways: 2,
        frequency: 470300000,
        spreadingFactor: 10,
        deviceName: 'WM-0001',
        tags: { building: 'B3' },
      },
    });
  });

  it('parses status, ack and join and defaults omitted fields', () => {
    expect(parseChirpstack(cs.status, cs.statusTopic)).toMatchObject({
      kind: 'status',
      meta: { margin: 7, batteryLevel: 61.5, externalPowerSource: false },
    });
    expect(parseChirpstack(cs.ack, 'ack')).toMatchObject({
      kind: 'ack',
      time: '2024-06-10T07:05:12.500Z',
      meta: { acknowledged: true, fCntDown: 14 },
    });
    expect(parseChirpstack(cs.join, cs.joinTopic)).toMatchObject({
      kind: 'join',
      meta: { devAddr: '01a2b3c4' },
    });
    const bare = { time: '2024-06-10T06:00:00Z', deviceInfo: { devEui: '70b3d57ed005a1b2' } };
    expect(parseChirpstack(bare, 'up').meta).toMatchObject({
      fCnt: 0,
      fPort: 0,
      adr: false,
      confirmed: false,
      gateways: 0,
    });
    expect(parseChirpstack(bare, 'up').bytes).toBeUndefined();
  });

  it('rejects a body whose devEui or application differs from the topic', () => {
    const other = cs.upTopic.replace('70b3d57ed005a1b2', '70b3d57ed005ffff');
    expect(() => parseChirpstack(cs.up, other)).toThrow(code('PAYLOAD_INVALID'));
    expect(() => parseChirpstack(cs.up, cs.upTopic.replace('6b1f64a2', '00000000'))).toThrow(
      code('PAYLOAD_INVALID'),
    );
    expect(() => parseChirpstack({ ...cs.up, data: 'not base64!' }, 'up')).toThrow(/data must be base64/);
    expect(() => parseChirpstack({ ...cs.up, time: 'yesterday' }, 'up')).toThrow(/time/);
  });

  it('reads and builds downlinks', () => {
    const d = parseChirpstackDownlink(cs.downTopic, cs.down);
    expect(d).toMatchObject({
      devEui: '70b3d57ed005a1b2',
      fPort: 8,
      confirmed: true,
      bytes: '681056341200000000040417A012997E16',
    });
    const built = buildChirpstackDownlink({
      applicationId: d.applicationId,
      devEui: d.devEui,
      fPort: 8,
      confirmed: true,
      bytes: d.bytes,
    });
    expect(built.topic).toBe(cs.downTopic);
    expect(built.payload).toEqual(cs.down);
    expect(() => parseChirpstackDownlink(cs.downTopic, { ...cs.down, fPort: 0 })).toThrow(/fPort/);
    expect(() => parseChirpstackDownlink(cs.upTopic, cs.down)).toThrow(code('PAYLOAD_INVALID'));
  });
});

describe('ctwing', () => {
  it('parses a transparent data report into device bytes', () => {
    expect(parseCtwing(JSON.stringify(ct.transparent))).toMatchObject({
      platform: 'ctwing',
      kind: 'uplink',
      deviceId: '9c1e3a5b7d9f4b2a8c6e0d1f3a5b7c9d',
      imei: '869975031234567',
      time: '2024-06-10T06:13:20.000Z',
      bytes: dlt645ReplyHex,
      meta: { productId: '17051234', protocol: 'lwm2m', upPacketSN: 57, imsi: '460111176543210' },
    });
  });

  it('parses a thing-model report, online/offline, command response and event', () => {
    const p = parseCtwing(ct.profile);
    expect(p).toMatchObject({
      kind: 'properties',
      properties: { total_flow: 456.78, valve_state: 0 },
      meta: { serviceId: 'meter_reading' },
    });
    expect(p.meta.imsi).toBeUndefined();
    expect(parseCtwing(ct.offline).kind).toBe('offline');
    expect(parseCtwing({ ...ct.offline, eventType: 1 }).kind).toBe('online');
    expect(parseCtwing(ct.commandResponse)).toMatchObject({
      kind: 'command-response',
      meta: { taskId: '88', resultCode: 'SENT' },
    });
    expect(parseCtwing(ct.event)).toMatchObject({
      kind: 'event',
      properties: { battery_voltage: 3.1 },
      meta: { eventType: 2, serviceId: 'low_battery' },
    });
  });

  it('names the bad field', () => {
    expect(() => parseCtwing({ ...ct.transparent, payload: { APPdata: '%%%' } })).toThrow(/payload\.APPdata/);
    expect(() => parseCtwing({ ...ct.transparent, deviceId: undefined })).toThrow(/deviceId/);
    expect(() => parseCtwing({ ...ct.transparent, timestamp: 'soon' })).toThrow(/timestamp/);
    expect(() => parseCtwing({ ...ct.offline, eventType: 7 })).toThrow(/eventType/);
    expect(() => parseCtwing({ ...ct.offline, messageType: 'deviceDeleted' })).toThrow(
      code('PAYLOAD_INVALID'),
    );
    expect(() => parseCtwing('{"messageType":')).toThrow(code('PAYLOAD_INVALID'));
  });
});

describe('onenet', () => {
  it('answers URL verification only with a genuine signature', () => {
    expect(verifyOneNetUrl(on.urlCheck, oneNetToken)).toBe('mVerifyMsg123');
    const q = new URLSearchParams({ ...on.urlCheck, signature: on.urlCheck.signature.replace('+', ' ') });
    expect(verifyOneNetUrl(q, oneNetToken)).toBe('mVerifyMsg123');
    expect(() => verifyOneNetUrl({ ...on.urlCheck, msg: 'other' }, oneNetToken)).toThrow(
      code('PAYLOAD_SIGNATURE_INVALID'),
    );
    expect(() => verifyOneNetUrl({ ...on.urlCheck, signature: undefined }, oneNetToken)).toThrow(
      code('PAYLOAD_SIGNATURE_INVALID'),
    );
    expect(() => verifyOneNetUrl(on.urlCheck, 'wrong-token')).toThrow(code('PAYLOAD_SIGNATURE_INVALID'));
  });

  it('verifies and parses a Studio property push', () => {
    const [e] = parseOneNet(on.studio, oneNetToken);
    expect(e).toMatchObject({
      platform: 'onenet',
      kind: 'properties',
      deviceId: 'WM-2024-0001',
      time: '2024-06-10T06:13:20.000Z',
      properties: { total_m3: 123.45, valve: 'open' },
      meta: { productId: 'Qm8aXk2Lp0', pushId: 'b7c2e0f4a1d84e5c' },
    });
  });

  it('verifies classic pushes against the exact msg text, single and batched', () => {
    const [dp] = parseOneNet(on.classicText, oneNetToken);
    expect(dp).toMatchObject({
      kind: 'properties',
      deviceId: '552199301',
      imei: '869975031234567',
      properties: { '3200_0_5750': '6810563412000000008116' },
    });
    expect(parseOneNet(JSON.parse(on.classicText), oneNetToken)).toHaveLength(1);
    expect(parseOneNet(on.classicBatchText, oneNetToken).map((e) => e.kind)).toEqual(['online', 'offline']);
    // re-spaced in transit: the compact serialisation of msg still carries the signature
    const spaced = on.classicText.replace('"type":1', '"type": 1');
    expect(parseOneNet(spaced, oneNetToken)).toHaveLength(1);
    // signed over text that JSON.stringify would not reproduce: only the exact substring matches
    const msgText = '{ "at": 1718000400000, "type": 1, "ds_id": "flow", "value": "caf\\u00e9", "dev_id": 7 }';
    const body = `{"msg": ${msgText}, "msg_signature": "${oneNetSignature(oneNetToken, 'n1', msgText)}", "nonce": "n1"}`;
    expect(parseOneNet(body, oneNetToken)[0].properties).toEqual({ flow: 'café' });
    expect(() => parseOneNet(JSON.parse(body), oneNetToken)).toThrow(code('PAYLOAD_SIGNATURE_INVALID'));
  });

  it('rejects forged, altered, replayed-with-altered-msg and unsigned pushes', () => {
    const forged = { ...on.studio, signature: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    const altered = { ...on.studio, msg: on.studio.msg.replace('123.45', '1.45') };
    const renonced = { ...on.studio, nonce: 'k3Jd9xQb' };
    const unsigned = { ...on.studio, signature: undefined };
    for (const b of [forged, altered, renonced, unsigned])
      expect(() => verifyOneNetPush(b, oneNetToken)).toThrow(code('PAYLOAD_SIGNATURE_INVALID'));
    expect(() => verifyOneNetPush(on.studio, '')).toThrow(code('PAYLOAD_SIGNATURE_INVALID'));
    const classic = JSON.parse(on.classicText);
    classic.msg.value = '00';
    expect(() => parseOneNet(classic, oneNetToken)).toThrow(code('PAYLOAD_SIGNATURE_INVALID'));
  });
});

describe('iotda', () => {
  it('parses a property report, merging services', () => {
    const e = parseIotda(hw.property);
    expect(e).toMatchObject({
      platform: 'iotda',
      kind: 'properties',
      deviceId: '665f0a1b2c3d4e5f6a7b8c9d_869975031234567',
      imei: '869975031234567',
      time: '2024-06-10T06:20:00.250Z',
      properties: { total_flow: 98.76, valve: 'open', battery_level: 87 },
      meta: {
        resource: 'device.property',
        event: 'report',
        productId: '665f0a1b2c3d4e5f6a7b8c9d',
        appId: 'c1d2e3f4a5b6',
      },
    });
    expect((e.meta.services as unknown[])[1]).toEqual({
      serviceId: 'Battery',
      properties: { battery_level: 87 },
      eventTime: '2024-06-10T06:19:59.000Z',
    });
  });

  it('parses a raw message (base64 or hex content), status and the legacy form', () => {
    expect(parseIotda(hw.message)).toMatchObject({
      kind: 'uplink',
      time: '2024-06-10T06:30:00.000Z',
      bytes: cjt188ReplyHex,
    });
    const hexBody = structuredClone(hw.message);
    hexBody.notify_data.body.content = cjt188ReplyHex.toLowerCase();
    expect(parseIotda(hexBody).bytes).toBe(cjt188ReplyHex);
    expect(() => parseIotda(hexBody, { contentEncoding: 'base64' })).toThrow(/content/);
    expect(parseIotda(hw.status)).toMatchObject({ kind: 'offline', meta: { status: 'OFFLINE' } });
    expect(parseIotda(hw.legacy)).toMatchObject({
      kind: 'properties',
      time: '2019-03-15T08:15:00.000Z',
      properties: { total_flow: 12.5 },
    });
    expect(() => parseIotda({ ...hw.status, event_time: undefined })).toThrow(/event_time/);
    expect(() => parseIotda({ ...hw.status, resource: 'device.unknown' })).toThrow(code('PAYLOAD_INVALID'));
  });
});

describe('decodeDeviceBytes', () => {
  it('sniffs the three frame shapes', () => {
    expect(sniffFrame(hexToBytes(cjt188ReplyHex))).toEqual(['cjt188']);
    expect(sniffFrame(hexToBytes(`FEFE${dlt645ReplyHex}`))).toEqual(['dlt645']);
    expect(sniffFrame(hexToBytes(mbusReplyHex))).toEqual(['mbus']);
    expect(sniffFrame(hexToBytes('E5'))).toEqual(['mbus']);
    expect(sniffFrame(hexToBytes('7B2261223A317D'))).toEqual([]);
  });

  it('decodes CJ/T 188 bytes with the CJ/T 188 codec', async () => {
    const r = await decodeDeviceBytes(cjt188ReplyHex);
    expect(r.protocol).toBe('cjt188');
    expect(r).toMatchObject({ frame: { address: '00000000123456', data: { current_cumulative: 12.34 } } });
  });

  it('hands DL/T 645 and M-Bus bytes to their codecs, or says which codec it needed', async () => {
    for (const [hex, p] of [
      [dlt645ReplyHex, 'dlt645'],
      [mbusReplyHex, 'mbus'],
    ] as const) {
      const r = await decodeDeviceBytes(hexToBytes(hex));
      if (r.protocol === 'unknown') expect(r).toMatchObject({ candidate: p, hex });
      else expect(r.protocol).toBe(p);
    }
  });

  it('reports unknown bytes and codec rejections without throwing', async () => {
    expect(await decodeDeviceBytes('7B2261223A317D')).toEqual({ protocol: 'unknown', hex: '7B2261223A317D' });
    expect(await decodeDeviceBytes(new Uint8Array(0))).toEqual({ protocol: 'unknown', hex: '' });
    // right shape and checksum, control code 02 is not a CJ/T 188 function
    const bad = '68105634120000000002031F90010016';
    const b = hexToBytes(bad);
    b[b.length - 2] = b.slice(0, -2).reduce((s, x) => (s + x) & 0xff, 0);
    expect(await decodeDeviceBytes(b)).toMatchObject({
      protocol: 'unknown',
      candidate: 'cjt188',
      reason: 'FRAME_CONTROL_UNKNOWN',
    });
    expect(await decodeDeviceBytes(cjt188ReplyHex, 'dlt645')).toMatchObject({
      protocol: 'unknown',
      candidate: 'dlt645',
    });
  });

  it('tolerates the FE preamble and noise after the end byte (kept as trailing)', async () => {
    // an NB-IoT module that appends CR LF after the meter's frame
    const r = await decodeDeviceBytes(`FEFEFE${cjt188ReplyHex}0D0A`);
    expect(r).toMatchObject({
      protocol: 'cjt188',
      trailing: '0D0A',
      frame: { preamble: 3, address: '00000000123456', data: { current_cumulative: 12.34 } },
    });
    const d = await decodeDeviceBytes(`FE${dlt645ReplyHex}00FF`);
    if (d.protocol !== 'unknown') expect(d).toMatchObject({ protocol: 'dlt645', trailing: '00FF' });
    else expect(d).toMatchObject({ candidate: 'dlt645', reason: 'CODEC_UNAVAILABLE' });
  });
});
