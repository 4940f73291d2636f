/**
 * Frames built from DL/T 645-2007 / -1997 with this codec's encoder and checked by hand against
 * the standard (+0x33 offset, little-endian BCD, checksum = sum from the first 68 mod 256).
 * `expect` is a subset of what decode must return. Used by the tests and the throughput bench.
 */
export interface Dlt645Fixture {
  name: string;
  hex: string;
  expect: Record<string, unknown>;
}

export const fixtures: Dlt645Fixture[] = [
  {
    name: '2007 read request positive active total',
    hex: '68 21 43 65 87 09 21 68 11 04 33 33 34 33 2C 16',
    expect: {
      version: '2007',
      address: '210987654321',
      control: '11',
      function: 'read',
      direction: 'master->slave',
      length: 4,
      data: '00000100',
      di: '00010000',
      item: 'positive active total energy',
    },
  },
  {
    name: '2007 read reply positive active total with FE preamble',
    hex: 'FE FE FE FE 68 21 43 65 87 09 21 68 91 08 33 33 34 33 89 67 45 33 18 16',
    expect: {
      preamble: 4,
      control: '91',
      direction: 'slave->master',
      length: 8,
      data: '0000010056341200',
      value: 1234.56,
      unit: 'kWh',
    },
  },
  {
    name: '2007 combined active total, negative',
    hex: '68 21 43 65 87 09 21 68 91 08 33 33 33 33 83 45 33 B3 5D 16',
    expect: { control: '91', data: '0000000050120080', item: 'combined active total energy', value: -12.5 },
  },
  {
    name: '2007 positive active energy block',
    hex: '68 21 43 65 87 09 21 68 91 18 33 32 34 33 83 33 34 33 43 53 33 33 53 63 33 33 53 73 33 33 33 43 33 33 FC 16',
    expect: {
      length: 24,
      di: '0001FF00',
      values: { total: 100.5, T1: 20.1, T2: 30.2, T3: 40.2, T4: 10 },
      unit: 'kWh',
    },
  },
  {
    name: '2007 last-1 settlement reverse active T2',
    hex: '68 21 43 65 87 09 21 68 91 08 34 35 35 33 3A AA 33 33 FE 16',
    expect: { di: '00020201', item: 'reverse active T2 energy (last-1 settlement)', value: 77.07 },
  },
  {
    name: '2007 phase A voltage',
    hex: '68 21 43 65 87 09 21 68 91 06 33 34 34 35 36 55 3C 16',
    expect: { length: 6, data: '000101020322', value: 220.3, unit: 'V' },
  },
  {
    name: '2007 phase B current, negative',
    hex: '68 21 43 65 87 09 21 68 91 07 33 35 35 35 67 45 B3 13 16',
    expect: { data: '00020202341280', value: -1.234, unit: 'A' },
  },
  {
    name: '2007 total active power',
    hex: '68 21 43 65 87 09 21 68 91 07 33 33 36 35 78 54 36 B5 16',
    expect: { data: '00000302452103', value: 3.2145, unit: 'kW' },
  },
  {
    name: '2007 total power factor, negative',
    hex: '68 21 43 65 87 09 21 68 91 06 33 33 39 35 BA BC 2B 16',
    expect: { data: '000006028789', value: -0.987 },
  },
  {
    name: '2007 grid frequency',
    hex: '68 21 43 65 87 09 21 68 91 06 35 33 B3 35 CB 7C 78 16',
    expect: { data: '020080029849', value: 49.98, unit: 'Hz' },
  },
  {
    name: '2007 voltage block',
    hex: '68 21 43 65 87 09 21 68 91 0A 33 32 34 35 34 55 45 55 CC 54 F6 16',
    expect: { length: 10, values: { A: 220.1, B: 221.2, C: 219.9 } },
  },
  {
    name: '2007 date and weekday',
    hex: '68 21 43 65 87 09 21 68 91 08 34 34 33 37 38 48 36 57 C2 16',
    expect: { data: '0101000405150324', value: { date: '2024-03-15', weekday: 5 } },
  },
  {
    name: '2007 time',
    hex: '68 21 43 65 87 09 21 68 91 07 35 34 33 37 8C 63 3B DF 16',
    expect: { data: '02010004593008', value: '08:30:59' },
  },
  {
    name: '2007 communication address',
    hex: '68 21 43 65 87 09 21 68 91 0A 34 37 33 37 54 76 98 BA 3C 54 66 16',
    expect: { data: '01040004214365870921', value: '210987654321' },
  },
  {
    name: '2007 last-1 daily frozen positive active block',
    hex: '68 21 43 65 87 09 21 68 91 18 34 34 39 38 33 33 38 33 33 58 34 33 33 58 34 33 33 58 34 33 33 58 34 33 65 16',
    expect: { di: '05060101', values: { total: 500, T1: 125, T2: 125, T3: 125, T4: 125 } },
  },
  {
    name: '2007 last-2 daily freeze time',
    hex: '68 21 43 65 87 09 21 68 91 09 35 33 39 38 33 33 47 36 57 F7 16',
    expect: { data: '020006050000140324', value: '2024-03-14 00:00' },
  },
  {
    name: '2007 remaining money',
    hex: '68 21 43 65 87 09 21 68 91 08 33 35 C3 33 B3 BB 33 33 15 16',
    expect: { item: 'remaining money (balance)', value: 88.8, unit: 'CNY' },
  },
  {
    name: '2007 last-1 power-down record',
    hex: '68 21 43 65 87 09 21 68 91 10 34 33 44 36 38 43 55 34 35 57 33 33 39 35 35 57 BC 16',
    expect: { length: 16, value: { start: '2024-02-01 22:10:05', end: '2024-02-02 06:00:00' } },
  },
  {
    name: '2007 last-1 trip record',
    hex: '68 21 43 65 87 09 21 68 91 26 34 33 33 50 33 48 3C 34 36 57 34 33 33 33 58 33 48 33 33 33 33 33 83 45 33 33 33 33 33 33 33 33 33 33 A8 36 33 33 0C 16',
    expect: {
      length: 38,
      item: 'last-1 trip record',
      value: { time: '2024-03-01 09:15:00', operator: '00000001', positiveActive: 1500.25, q4Reactive: 3.75 },
    },
  },
  {
    name: '2007 unknown identifier keeps raw bytes',
    hex: '68 21 43 65 87 09 21 68 91 06 34 34 D3 37 DE 45 76 16',
    expect: { di: '04A00101', raw: 'AB12', data: '0101A004AB12' },
  },
  {
    name: '2007 read reply with follow-up frames (B1)',
    hex: '68 21 43 65 87 09 21 68 B1 08 33 33 34 33 34 33 33 33 9D 16',
    expect: { control: 'B1', follow: true, value: 0.01 },
  },
  {
    name: '2007 read follow-up request',
    hex: '68 21 43 65 87 09 21 68 12 05 34 33 33 39 34 68 16',
    expect: { control: '12', function: 'read-follow', length: 5, seq: 1 },
  },
  {
    name: '2007 read follow-up reply with SEQ',
    hex: '68 21 43 65 87 09 21 68 92 09 33 33 34 33 83 35 33 33 34 04 16',
    expect: { control: '92', length: 9, value: 2.5, seq: 1 },
  },
  {
    name: '2007 load-profile read with block count and start time',
    hex: '68 21 43 65 87 09 21 68 11 0A 34 33 33 39 37 33 33 34 36 57 96 16',
    expect: { length: 10, blocks: 4, from: '2024-03-01 00:00' },
  },
  {
    name: '2007 read address to the wildcard address',
    hex: '68 AA AA AA AA AA AA 68 13 00 DF 16',
    expect: { address: 'AAAAAAAAAAAA', control: '13', length: 0, data: '' },
  },
  {
    name: '2007 read address reply',
    hex: '68 21 43 65 87 09 21 68 93 06 54 76 98 BA 3C 54 8F 16',
    expect: { control: '93', meterAddress: '210987654321' },
  },
  {
    name: '2007 write time with password and operator',
    hex: '68 21 43 65 87 09 21 68 14 0F 35 34 33 37 35 89 67 45 AB 89 67 45 33 33 45 35 16',
    expect: {
      control: '14',
      length: 15,
      data: '020100040256341278563412000012',
      password: '02123456',
      operator: '12345678',
      value: '12:00:00',
    },
  },
  {
    name: '2007 write normal reply',
    hex: '68 21 43 65 87 09 21 68 94 00 DE 16',
    expect: { control: '94', length: 0 },
  },
  {
    name: '2007 write address by broadcast',
    hex: '68 99 99 99 99 99 99 68 15 06 75 33 33 33 33 33 F5 16',
    expect: { control: '15', address: '999999999999', newAddress: '000000000042' },
  },
  {
    name: '2007 daily freeze at midnight, broadcast',
    hex: '68 99 99 99 99 99 99 68 16 04 33 33 CC CC 7E 16',
    expect: { control: '16', data: '00009999', freeze: { pattern: '99990000', kind: 'daily' } },
  },
  {
    name: '2007 freeze abnormal reply',
    hex: '68 21 43 65 87 09 21 68 D6 01 34 55 16',
    expect: { control: 'D6', error: true, errorCode: 1, errors: ['other error'] },
  },
  {
    name: '2007 change baud to 9600',
    hex: '68 21 43 65 87 09 21 68 17 01 53 B5 16',
    expect: { control: '17', baudCode: 32, baud: 9600 },
  },
  {
    name: '2007 change baud reply',
    hex: '68 21 43 65 87 09 21 68 97 01 53 35 16',
    expect: { control: '97', baud: 9600 },
  },
  {
    name: '2007 change level-2 password',
    hex: '68 21 43 65 87 09 21 68 18 0C 36 3F 33 37 35 89 67 45 35 54 76 98 4E 16',
    expect: { control: '18', length: 12, di: '04000C03', password: '02123456', newPassword: '02654321' },
  },
  {
    name: '2007 clear maximum demand',
    hex: '68 21 43 65 87 09 21 68 19 08 37 33 33 33 3A 33 33 33 0E 16',
    expect: { control: '19', length: 8, password: '04000000', operator: '00000007' },
  },
  {
    name: '2007 clear meter',
    hex: '68 21 43 65 87 09 21 68 1A 08 35 33 33 33 33 33 33 33 06 16',
    expect: { control: '1A', operator: '00000000' },
  },
  {
    name: '2007 clear all events',
    hex: '68 21 43 65 87 09 21 68 1B 0C 35 33 33 33 33 33 33 33 32 32 32 32 D3 16',
    expect: { control: '1B', length: 12, eventDi: 'FFFFFFFF' },
  },
  {
    name: '2007 relay keep power',
    hex: '68 21 43 65 87 09 21 68 1C 10 35 33 33 33 33 33 33 33 6D 33 8C 8C 56 64 45 57 1E 16',
    expect: {
      control: '1C',
      length: 16,
      action: 'keep-power',
      actionCode: '3A',
      validUntil: '2024-12-31 23:59:59',
    },
  },
  {
    name: '2007 relay control normal reply',
    hex: '68 21 43 65 87 09 21 68 9C 00 E6 16',
    expect: { control: '9C', length: 0 },
  },
  {
    name: '2007 relay control refused',
    hex: '68 21 43 65 87 09 21 68 DC 01 37 5E 16',
    expect: { control: 'DC', errorCode: 4, errors: ['wrong password or unauthorised'] },
  },
  {
    name: '2007 read abnormal reply: no data',
    hex: '68 21 43 65 87 09 21 68 D1 01 35 51 16',
    expect: { control: 'D1', errors: ['no data requested'] },
  },
  {
    name: '2007 broadcast time sync',
    hex: '68 99 99 99 99 99 99 68 08 06 33 63 3B 48 36 57 1A 16',
    expect: { control: '08', data: '003008150324', time: '2024-03-15 08:30:00' },
  },
  {
    name: '1997 read request 9010 with one FE',
    hex: 'FE 68 21 43 65 87 09 21 68 01 02 43 C3 53 16',
    expect: { version: '1997', preamble: 1, control: '01', data: '1090', di: '9010' },
  },
  {
    name: '1997 positive active total reply',
    hex: '68 21 43 65 87 09 21 68 81 06 43 C3 43 65 87 33 39 16',
    expect: { version: '1997', control: '81', data: '109010325400', value: 5432.1, unit: 'kWh' },
  },
  {
    name: '1997 positive active block 901F',
    hex: '68 21 43 65 87 09 21 68 81 16 52 C3 33 43 33 33 33 34 33 33 33 35 33 33 33 36 33 33 33 37 33 33 0C 16',
    expect: { length: 22, values: { total: 10, T1: 1, T2: 2, T3: 3, T4: 4 } },
  },
  {
    name: '1997 last-month reverse active total',
    hex: '68 21 43 65 87 09 21 68 81 06 53 C7 CC 3C 33 33 59 16',
    expect: { item: 'reverse active total energy (last month)', value: 9.99 },
  },
  {
    name: '1997 phase A voltage',
    hex: '68 21 43 65 87 09 21 68 81 04 44 E9 64 35 95 16',
    expect: { data: '11B63102', value: 231, unit: 'V' },
  },
  {
    name: '1997 phase C current',
    hex: '68 21 43 65 87 09 21 68 81 04 56 E9 45 38 8B 16',
    expect: { data: '23B61205', value: 5.12, unit: 'A' },
  },
  {
    name: '1997 total active power',
    hex: '68 21 43 65 87 09 21 68 81 05 63 E9 78 56 34 1E 16',
    expect: { data: '30B6452301', value: 1.2345 },
  },
  {
    name: '1997 total power factor',
    hex: '68 21 43 65 87 09 21 68 81 04 83 E9 83 3C FA 16',
    expect: { data: '50B65009', value: 0.95 },
  },
  {
    name: '1997 date and weekday',
    hex: '68 21 43 65 87 09 21 68 81 06 43 F3 33 4A 36 57 11 16',
    expect: { data: '10C000170324', value: { date: '2024-03-17', weekday: 0 } },
  },
  {
    name: '1997 meter number',
    hex: '68 21 43 65 87 09 21 68 81 08 65 F3 AB 89 67 45 33 33 71 16',
    expect: { value: '000012345678' },
  },
  {
    name: '1997 abnormal reply: data identifier error',
    hex: '68 21 43 65 87 09 21 68 C1 01 35 41 16',
    expect: { version: '1997', control: 'C1', errorCode: 2 },
  },
  {
    name: '1997 write time',
    hex: '68 21 43 65 87 09 21 68 04 09 44 F3 33 33 33 33 33 8C 56 6F 16',
    expect: { control: '04', length: 9, value: '23:59:00' },
  },
  {
    name: '1997 write reply',
    hex: '68 21 43 65 87 09 21 68 84 00 CE 16',
    expect: { version: '1997', control: '84' },
  },
  {
    name: '1997 re-read request',
    hex: '68 21 43 65 87 09 21 68 03 00 4D 16',
    expect: { control: '03', function: 're-read', length: 0 },
  },
  {
    name: '1997 read follow-up reply',
    hex: '68 21 43 65 87 09 21 68 82 06 53 C3 33 34 33 33 B5 16',
    expect: { control: '82', value: 1 },
  },
  {
    name: '1997 write address',
    hex: '68 99 99 99 99 99 99 68 0A 06 AA 3A 33 33 33 33 26 16',
    expect: { control: '0A', newAddress: '000000000777' },
  },
  {
    name: '1997 change baud to 2400',
    hex: '68 21 43 65 87 09 21 68 0C 01 3B 92 16',
    expect: { control: '0C', baudCode: 8 },
  },
  {
    name: '1997 change password',
    hex: '68 21 43 65 87 09 21 68 0F 08 33 33 33 33 33 89 67 45 95 16',
    expect: { control: '0F', length: 8, newPassword: '00123456' },
  },
  {
    name: '1997 clear demand',
    hex: '68 21 43 65 87 09 21 68 10 04 33 33 33 33 2A 16',
    expect: { control: '10', length: 4 },
  },
];
