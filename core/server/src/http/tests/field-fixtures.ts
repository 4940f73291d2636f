import { randomUUID } from 'node:crypto';
import type { Client } from '../../../test/client.ts';
import type { ReadingWorld } from './reading-fixtures.ts';

/** Rows the field routes may write, over all tenants (the system path). */
export async function fieldRows(w: ReadingWorld) {
  const [row] = (await w.p.running.platform.database.sql`
    select (select count(*) from field_readings)::int as entries,
      (select count(*) from readings where kind = 4)::int as manual,
      (select count(*) from meter_commands)::int as commands,
      (select count(*) from reading_tasks)::int as tasks,
      (select count(*) from audit_log where action = 'readings.manual')::int as audits`) as unknown as Record<
    string,
    number
  >[];
  return row;
}

/** Bytes that start like a JPEG / PNG (the server sniffs the magic number, it does not decode). */
export const jpegBytes = (size = 64) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size)]);
export const pngBytes = (size = 64) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size)]);

export function manualBody(value: string, photo?: Buffer, type = 'image/jpeg') {
  return {
    key: randomUUID(),
    value,
    note: '表盘读数',
    ...(photo && { photo: { type, data: photo.toString('base64') } }),
  };
}

/** The photo's bytes and type through the session of `c` (raw: not JSON). */
export async function fetchPhoto(c: Client, key: string) {
  const res = await fetch(`${c.baseUrl}/api/v1/field/manual-readings/${key}/photo`, {
    headers: { cookie: c.cookie },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}
