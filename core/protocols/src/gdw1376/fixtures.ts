/**
 * Frames built from the Q/GDW 1376.1 text with this codec's encoder and checked by hand field by
 * field (L, C, A, SEQ, DA/DT, appendix A formats, checksum). Terminal 3501/0001, master station 1
 * (A3 = 02) unless noted. `expect` is a partial match of the decoded frame.
 */
export interface Fixture {
  name: string;
  hex: string;
  expect: Record<string, unknown>;
}

const terminal = { A1_region: '3501', A2_terminal: 1, A3_master: 0, group: false };
const master = { A1_region: '3501', A2_terminal: 1, A3_master: 2, group: false };
const single = (pseq: number, con = false) => ({ tpv: false, fir: true, fin: true, con, pseq });
const up = { dir: 'up', prm: false, functionCode: 8, c: '88', address: master };
const read = { dir: 'down', prm: true, functionCode: 11, c: '4B', address: master };
const command = { dir: 'down', prm: true, functionCode: 10, c: '4A', address: master };
const zeroPw = '00000000000000000000000000000000';

export const fixtures: Fixture[] = [
  {
    name: 'login (AFN 02 F1)',
    hex: '68 32 00 32 00 68 C9 01 35 01 00 00 02 71 00 00 01 00 74 16',
    expect: {
      l: 12,
      protocolId: 2,
      c: 'C9',
      dir: 'up',
      prm: true,
      functionCode: 9,
      functionName: 'link test',
      address: terminal,
      afn: '02',
      seq: single(1, true),
      units: [{ pn: 0, fn: 1, name: 'login' }],
      cs: '74',
    },
  },
  {
    name: 'logout (AFN 02 F2)',
    hex: '68 32 00 32 00 68 C9 01 35 01 00 00 02 79 00 00 02 00 7D 16',
    expect: { afn: '02', seq: single(9, true), units: [{ pn: 0, fn: 2, name: 'logout' }] },
  },
  {
    name: 'heartbeat (AFN 02 F3)',
    hex: '68 32 00 32 00 68 C9 01 35 01 00 00 02 72 00 00 04 00 78 16',
    expect: { afn: '02', seq: single(2, true), units: [{ pn: 0, fn: 3, name: 'heartbeat' }] },
  },
  {
    name: 'heartbeat with terminal clock (A.1, Friday)',
    hex: '68 4A 00 4A 00 68 C9 01 35 01 00 00 02 73 00 00 04 00 00 30 08 15 A3 24 8D 16',
    expect: { l: 18, units: [{ fn: 3, data: { clock: { time: '2024-03-15 08:30:00', weekday: 5 } } }] },
  },
  {
    name: 'master confirms login (AFN 00 F1)',
    hex: '68 32 00 32 00 68 0B 01 35 01 00 00 00 61 00 00 01 00 A4 16',
    expect: {
      c: '0B',
      dir: 'down',
      prm: false,
      functionCode: 11,
      afn: '00',
      units: [{ pn: 0, fn: 1, name: 'all confirmed' }],
    },
  },
  {
    name: 'master confirms heartbeat per data unit (AFN 00 F3)',
    hex: '68 4A 00 4A 00 68 0B 01 35 01 00 00 00 62 00 00 04 00 02 00 00 04 00 00 AE 16',
    expect: {
      afn: '00',
      seq: single(2),
      units: [{ fn: 3, data: { afn: '02', items: [{ pns: [0], fns: [3], err: 0, errName: 'ok' }] } }],
    },
  },
  {
    name: 'terminal denies all (AFN 00 F2, C = 89)',
    hex: '68 32 00 32 00 68 89 01 35 01 00 04 00 65 00 00 02 00 2B 16',
    expect: { c: '89', dir: 'up', functionCode: 9, afn: '00', units: [{ pn: 0, fn: 2, name: 'all denied' }] },
  },
  {
    name: 'read terminal clock (AFN 0C F2)',
    hex: '68 32 00 32 00 68 4B 01 35 01 00 04 0C 64 00 00 02 00 F8 16',
    expect: { ...read, afn: '0C', seq: single(4), units: [{ pn: 0, fn: 2, name: 'terminal clock' }] },
  },
  {
    name: 'terminal clock reply (AFN 0C F2)',
    hex: '68 4A 00 4A 00 68 88 01 35 01 00 04 0C 64 00 00 02 00 05 30 08 15 A3 24 4E 16',
    expect: {
      ...up,
      afn: '0C',
      units: [{ pn: 0, fn: 2, data: { clock: { time: '2024-03-15 08:30:05', weekday: 5 } } }],
    },
  },
  {
    name: 'read power/voltage/current of point 1 (AFN 0C F25)',
    hex: '68 32 00 32 00 68 4B 01 35 01 00 04 0C 65 01 01 01 03 FD 16',
    expect: { ...read, units: [{ pn: 1, fn: 25 }] },
  },
  {
    name: 'power/voltage/current reply, zero-sequence current not measured (AFN 0C F25)',
    hex:
      '68 3E 01 3E 01 68 88 01 35 01 00 04 0C 65 01 01 01 03 30 08 15 03 24 00 30 03 00 10 01 00 20 01 00 00 01 ' +
      '00 45 80 00 15 80 00 15 80 00 15 80 91 09 90 09 92 09 89 09 01 22 15 22 98 21 01 50 00 50 54 00 50 45 80 ' +
      'EE EE EE 00 33 03 10 11 01 00 21 01 00 01 01 5B 16',
    expect: {
      ...up,
      l: 79,
      units: [
        {
          pn: 1,
          fn: 25,
          data: {
            time: '2024-03-15 08:30',
            activePower_kW: { total: 3.3, a: 1.1, b: 1.2, c: 1 },
            reactivePower_kvar: { total: -0.45, a: -0.15, b: -0.15, c: -0.15 },
            powerFactor_pct: { total: 99.1, a: 99, b: 99.2, c: 98.9 },
            voltage_V: { a: 220.1, b: 221.5, c: 219.8 },
            current_A: { a: 5.001, b: 5.45, c: -4.55 },
            zeroSequenceCurrent_A: null,
            apparentPower_kVA: { total: 3.33, a: 1.111, b: 1.21, c: 1.01 },
            missing: ['zeroSequenceCurrent_A'],
          },
        },
      ],
    },
  },
  {
    name: 'read positive energy with reactive quadrants (AFN 0C F33)',
    hex: '68 32 00 32 00 68 4B 01 35 01 00 04 0C 66 01 01 01 04 FF 16',
    expect: { ...read, units: [{ pn: 1, fn: 33 }] },
  },
  {
    name: 'positive active/reactive energy reply, 2 tariffs (AFN 0C F33)',
    hex:
      '68 16 01 16 01 68 88 01 35 01 00 04 0C 66 01 01 01 04 00 08 15 03 24 02 00 25 00 15 00 50 12 00 06 00 50 ' +
      '12 00 09 00 50 80 00 00 25 30 00 00 25 50 00 00 00 70 00 00 00 25 00 00 00 45 00 00 50 10 00 00 25 05 00 ' +
      '00 25 05 00 00 B7 16',
    expect: {
      units: [
        {
          fn: 33,
          data: {
            time: '2024-03-15 08:00',
            tariffCount: 2,
            positiveActive: { total_kWh: 1500.25, tariffs_kWh: [600.125, 900.125] },
            positiveReactive: { total_kvarh: 80.5, tariffs_kvarh: [30.25, 50.25] },
            quadrant1Reactive: { total_kvarh: 70, tariffs_kvarh: [25, 45] },
            quadrant4Reactive: { total_kvarh: 10.5, tariffs_kvarh: [5.25, 5.25] },
          },
        },
      ],
    },
  },
  {
    name: 'read positive active energy of points 1-3 in one data unit (AFN 0C F129, DA 07 01)',
    hex: '68 32 00 32 00 68 4B 01 35 01 00 04 0C 67 07 01 01 10 12 16',
    expect: {
      ...read,
      units: [
        { pn: 1, fn: 129, unit: 0 },
        { pn: 2, fn: 129, unit: 0 },
        { pn: 3, fn: 129, unit: 0 },
      ],
    },
  },
  {
    name: 'positive active energy reply, 4 tariffs (AFN 0C F129)',
    hex:
      '68 AE 00 AE 00 68 88 01 35 01 00 04 0C 67 01 01 01 10 00 08 15 03 24 04 78 56 34 12 00 00 00 00 01 00 00 ' +
      '50 00 02 00 00 25 00 03 00 78 31 34 06 00 03 16',
    expect: {
      ...up,
      units: [
        {
          pn: 1,
          fn: 129,
          name: 'current positive active energy indication',
          data: {
            time: '2024-03-15 08:00',
            tariffCount: 4,
            total_kWh: 1234.5678,
            tariffs_kWh: [100, 200.5, 300.25, 634.3178],
          },
        },
      ],
    },
  },
  {
    name: 'read daily frozen positive active energy of 2024-02-29 (AFN 0D F161)',
    hex: '68 3E 00 3E 00 68 4B 01 35 01 00 04 0D 68 02 01 01 14 29 02 24 62 16',
    expect: { ...read, afn: '0D', units: [{ pn: 2, fn: 161, data: { date: '2024-02-29' } }] },
  },
  {
    name: 'daily frozen positive active energy reply (AFN 0D F161)',
    hex:
      '68 92 00 92 00 68 88 01 35 01 00 04 0D 68 02 01 01 14 29 02 24 05 00 01 03 24 02 21 43 65 87 00 00 10 00 ' +
      '40 00 21 33 65 47 00 6E 16',
    expect: {
      ...up,
      afn: '0D',
      units: [
        {
          pn: 2,
          fn: 161,
          data: {
            date: '2024-02-29',
            time: '2024-03-01 00:05',
            tariffCount: 2,
            total_kWh: 8765.4321,
            tariffs_kWh: [4000.1, 4765.3321],
          },
        },
      ],
    },
  },
  {
    name: 'daily frozen reply for a meter that was not read: EE no data (AFN 0D F161)',
    hex:
      '68 92 00 92 00 68 88 01 35 01 00 04 0D 69 02 01 01 14 28 02 24 EE EE EE EE EE 02 EE EE EE EE EE EE EE EE ' +
      'EE EE EE EE EE EE EE 39 16',
    expect: {
      units: [
        {
          fn: 161,
          data: {
            date: '2024-02-28',
            time: null,
            tariffCount: 2,
            total_kWh: null,
            tariffs_kWh: [null, null],
            missing: ['time', 'total_kWh', 'tariffs_kWh[0]', 'tariffs_kWh[1]'],
          },
        },
      ],
    },
  },
  {
    name: 'read monthly frozen positive active energy of 2024-02 (AFN 0D F177)',
    hex: '68 3A 00 3A 00 68 4B 01 35 01 00 04 0D 6A 01 01 01 16 02 24 3C 16',
    expect: { ...read, afn: '0D', units: [{ pn: 1, fn: 177, data: { month: '2024-02' } }] },
  },
  {
    name: 'monthly frozen positive active energy reply (AFN 0D F177)',
    hex:
      '68 8E 00 8E 00 68 88 01 35 01 00 04 0D 6A 01 01 01 16 02 24 10 00 01 03 24 02 00 50 50 03 00 00 25 50 01 ' +
      '00 00 25 00 02 00 F3 16',
    expect: {
      units: [
        {
          fn: 177,
          data: {
            month: '2024-02',
            time: '2024-03-01 00:10',
            tariffCount: 2,
            total_kWh: 350.5,
            tariffs_kWh: [150.25, 200.25],
          },
        },
      ],
    },
  },
  {
    name: 'download two meters (AFN 04 F10, PW appended)',
    hex:
      '68 52 01 52 01 68 4A 01 35 01 00 04 04 7B 00 00 02 01 02 00 01 00 01 00 62 1E 34 12 00 00 23 20 00 00 00 ' +
      '00 00 00 04 09 00 00 00 00 00 00 00 02 00 02 00 42 01 78 56 00 00 00 00 01 02 03 04 05 06 04 09 99 00 00 ' +
      '00 00 00 51 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 42 16',
    expect: {
      ...command,
      afn: '04',
      seq: single(11, true),
      aux: { pw: zeroPw },
      units: [
        {
          pn: 0,
          fn: 10,
          data: {
            count: 2,
            meters: [
              {
                serial: 1,
                pn: 1,
                baud: 2400,
                port: 2,
                protocol: 30,
                address: '202300001234',
                tariffCount: 4,
                integerDigits: 6,
                decimalDigits: 2,
                collector: '000000000000',
              },
              {
                serial: 2,
                pn: 2,
                baud: 1200,
                port: 2,
                protocol: 1,
                address: '000000005678',
                password: '010203040506',
                collector: '000000000099',
                userClass: 5,
                userSubClass: 1,
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'remote trip, round 1, 2 h cut after 2 min (AFN 05 F1)',
    hex:
      '68 76 00 76 00 68 4A 01 35 01 00 04 05 7C 01 01 01 00 42 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ' +
      '4B 16',
    expect: {
      ...command,
      afn: '05',
      seq: single(12, true),
      aux: { pw: zeroPw },
      units: [{ pn: 1, fn: 1, name: 'remote trip', data: { powerCutHalfHours: 4, alarmDelayMinutes: 2 } }],
    },
  },
  {
    name: 'clock sync (AFN 05 F31)',
    hex:
      '68 8A 00 8A 00 68 4A 01 35 01 00 04 05 7D 00 00 40 03 00 30 08 15 A3 24 00 00 00 00 00 00 00 00 00 00 00 ' +
      '00 00 00 00 00 5E 16',
    expect: {
      afn: '05',
      units: [{ pn: 0, fn: 31, data: { clock: { time: '2024-03-15 08:30:00', weekday: 5 } } }],
    },
  },
  {
    name: 'forward a DL/T 645-2007 read of 00010000 to port 2, 2400 8E1 (AFN 10 F1)',
    hex:
      '68 CA 00 CA 00 68 4A 01 35 01 00 04 10 6E 00 00 01 00 02 6B 82 0A 10 00 68 34 12 00 00 23 20 68 11 04 33 ' +
      '33 34 33 3B 16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 99 16',
    expect: {
      ...command,
      afn: '10',
      seq: single(14),
      aux: { pw: zeroPw },
      units: [
        {
          pn: 0,
          fn: 1,
          data: {
            port: 2,
            serial: { baud: 2400, parity: 'even', dataBits: 8, stopBits: 1 },
            frameTimeout: { value: 2, unit: 's' },
            byteTimeout_10ms: 10,
            forwarded: { hex: '68341200002320681104333334333B16' },
          },
        },
      ],
    },
  },
  {
    name: "forwarding reply with the meter's answer, 34.12 kWh (AFN 10 F1)",
    hex:
      '68 8E 00 8E 00 68 88 01 35 01 00 04 10 6E 00 00 01 00 02 14 00 68 34 12 00 00 23 20 68 91 08 33 33 34 33 ' +
      '45 67 33 33 D1 16 10 16',
    expect: {
      ...up,
      afn: '10',
      units: [
        { pn: 0, fn: 1, data: { port: 2, forwarded: { hex: '683412000023206891083333343345673333D116' } } },
      ],
    },
  },
  {
    name: 'multi-frame reply, first frame: points 1 and 2 (FIR, RSEQ 14)',
    hex:
      '68 EA 00 EA 00 68 88 01 35 01 00 04 0C 4E 01 01 01 10 00 08 15 03 24 02 00 50 00 01 00 00 00 50 00 00 00 ' +
      '50 50 00 00 02 01 01 10 00 08 15 03 24 02 00 00 01 02 00 00 00 00 01 00 00 00 01 01 00 17 16',
    expect: {
      seq: { tpv: false, fir: true, fin: false, con: false, pseq: 14 },
      units: [
        { pn: 1, fn: 129, unit: 0, data: { total_kWh: 100.5, tariffs_kWh: [50, 50.5] } },
        { pn: 2, fn: 129, unit: 1, data: { total_kWh: 201, tariffs_kWh: [100, 101] } },
      ],
    },
  },
  {
    name: 'multi-frame reply, last frame: point 3 (FIN, RSEQ 15)',
    hex:
      '68 86 00 86 00 68 88 01 35 01 00 04 0C 2F 04 01 01 10 00 08 15 03 24 02 00 50 01 03 00 00 00 50 01 00 00 ' +
      '50 51 01 00 A1 16',
    expect: {
      seq: { tpv: false, fir: false, fin: true, con: false, pseq: 15 },
      units: [{ pn: 3, fn: 129, data: { total_kWh: 301.5, tariffs_kWh: [150, 151.5] } }],
    },
  },
  {
    name: 'reply with pending events (ACD, EC 3/7) and time label (TpV, Tp)',
    hex:
      '68 7E 00 7E 00 68 A8 01 35 01 00 04 0C E3 01 01 01 10 00 08 15 03 24 00 00 50 12 00 00 03 07 09 00 30 08 ' +
      '15 05 F0 16',
    expect: {
      c: 'A8',
      acd: true,
      seq: { tpv: true, fir: true, fin: true, con: false, pseq: 3 },
      units: [{ pn: 1, fn: 129, data: { tariffCount: 0, total_kWh: 12.5, tariffs_kWh: [] } }],
      aux: { ec: { important: 3, normal: 7 }, tp: { pfc: 9, time: '15 08:30:00', delayMinutes: 5 } },
    },
  },
];
