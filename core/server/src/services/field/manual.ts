import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import { findMeter } from '../archives/meters.ts';
import type { Actor } from '../identity/actor.ts';
import type { Item } from '../readings/ingest-tenant.ts';
import { ingestTenant } from '../readings/ingest-tenant.ts';
import { utcMonth } from '../readings/partitions.ts';
import { KIND_CODES } from '../readings/prepare.ts';
import type { Zone } from '../readings/zone.ts';
import { decodePhoto, type PhotoType } from './photo.ts';

/** How far back a reading entered offline may be dated. */
const MAX_AGE_MS = 31 * 86_400_000;
/** Clock skew allowed between the phone and the server. */
const SKEW_MS = 5 * 60_000;

export interface ManualInput {
  key: string;
  value: string;
  at?: string;
  note?: string;
  photo?: { type: PhotoType; data: string };
}

export interface ManualEntry {
  key: string;
  meterId: string;
  ts: string;
  value: string;
  note: string;
  hasPhoto: boolean;
  photoType: PhotoType | null;
  enteredByName: string;
  createdAt: string;
}

const ISO = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const ENTRY_COLS = sql`f.key::text as key, f.meter_id::text as "meterId", ${ISO('f.ts')} as ts,
  f.value::text as value, f.note, f.photo is not null as "hasPhoto", f.photo_type as "photoType",
  f.entered_by_name as "enteredByName", ${ISO('f.created_at')} as "createdAt"`;

async function entryByKey(tx: Tx, key: string): Promise<ManualEntry | undefined> {
  const [row] = (await tx.execute(
    sql`select ${ENTRY_COLS} from field_readings f where f.key = ${key}`,
  )) as unknown as ManualEntry[];
  return row;
}

/** The meter's field-entered readings, newest first (the card shows them beside the readings). */
export async function manualEntries(tx: Tx, meterId: string, limit: number): Promise<ManualEntry[]> {
  return (await tx.execute(sql`select ${ENTRY_COLS} from field_readings f where f.meter_id = ${meterId}
    order by f.ts desc, f.key limit ${limit}`)) as unknown as ManualEntry[];
}

/** A stored photo of a meter the actor may see. */
export async function manualPhoto(tx: Tx, actor: Actor, key: string) {
  const [row] = (await tx.execute(sql`select f.meter_id::text as "meterId", f.photo_type as type, f.photo
    from field_readings f where f.key = ${key} and f.photo is not null`)) as unknown as {
    meterId: string;
    type: PhotoType;
    photo: Buffer;
  }[];
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such photo', { key });
  await findMeter(tx, actor, row.meterId);
  return { type: row.type, bytes: row.photo };
}

function sameValue(a: string, b: string): boolean {
  const norm = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  return norm(a) === norm(b);
}

/**
 * A manual reading entered in the field, with an optional photo: stored as a manual reading of the
 * meter's series (ingest, idem_key `field:<key>`, the meter type validates it) and as a
 * field_readings row. The same key again answers the stored entry (created false) and writes
 * nothing; the key reused for another meter or value is FIELD_KEY_REUSED.
 */
export async function enterManualReading(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  meterId: string,
  input: ManualInput,
  deps: { kinds: MeterKinds; zone: Zone },
): Promise<{ entry: ManualEntry; created: boolean }> {
  const { m } = await findMeter(tx, actor, meterId, true);
  const seen = await entryByKey(tx, input.key);
  if (seen) {
    if (seen.meterId !== meterId || !sameValue(seen.value, input.value))
      throw new AppError('FIELD_KEY_REUSED', undefined, { key: input.key });
    return { entry: seen, created: false };
  }
  if (m.status !== 'installed' && m.status !== 'suspended')
    throw new AppError('METER_STATE_INVALID', undefined, { status: m.status });
  const now = Date.now();
  const ts = input.at ? Date.parse(input.at) : now;
  if (ts > now + SKEW_MS || ts < now - MAX_AGE_MS)
    throw new AppError('FIELD_TIME_INVALID', undefined, { at: input.at });
  const photo = input.photo ? decodePhoto(input.photo) : null;
  const at = new Date(ts).toISOString();
  const item: Item = {
    n: 0,
    raw: {
      route: { via: 'serial', line: 'field', address: meterId },
      kind: 'manual',
      measuredAt: at,
      receivedAt: new Date(now).toISOString(),
      registers: { [deps.kinds.mainRegister(m.kind).key]: input.value },
      idempotencyKey: `field:${input.key}`,
    },
    meter: { tenantId, meterId, kind: m.kind, digits: m.digits, initialReading: m.initialReading },
    kind: KIND_CODES.manual,
    ts,
    receivedAt: now,
  };
  await tx.execute(sql`select readings_ensure_partition(${`${utcMonth(ts)}-01`}::date)`);
  const outcomes = new Array(1);
  await ingestTenant(tx, deps, tenantId, [item], outcomes);
  const out = outcomes[0];
  if (out?.status === 'rejected')
    throw new AppError('FIELD_READING_REJECTED', undefined, { reasons: out.reasons });
  await tx.execute(sql`insert into field_readings (tenant_id, key, meter_id, ts, value, note, photo_type, photo,
      entered_by, entered_by_name)
    values (${tenantId}, ${input.key}, ${meterId}, ${at}::timestamptz, ${input.value}::numeric, ${input.note ?? ''},
      ${photo?.type ?? null}, ${photo ? photo.bytes : null}::bytea, ${actor.kind === 'operator' ? null : actor.id},
      ${actor.displayName || actor.name})`);
  const entry = await entryByKey(tx, input.key);
  if (!entry) throw new Error('field reading vanished');
  return { entry, created: true };
}
