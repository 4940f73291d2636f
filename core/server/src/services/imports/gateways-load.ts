import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { AreaLookup } from './area-lookup.ts';
import type { ParsedRow } from './entity.ts';

export interface StoredConcentrator {
  id: string;
  number: string;
  name: string;
  a1: string;
  a2: number;
  sim: string | null;
  iccid: string | null;
  areaId: string;
  status: string;
  custom: Record<string, unknown>;
}

export interface StoredCollector {
  id: string;
  number: string;
  interface: string;
  address: string;
  concentratorId: string | null;
  areaId: string;
  status: string;
  custom: Record<string, unknown>;
}

export interface LoadedGateways {
  areas: AreaLookup;
  /** every concentrator of the tenant by number (a few thousand at most) */
  concentrators: Map<string, StoredConcentrator & { path: string[] }>;
  /** the same by `A1-A2` */
  byAddress: Map<string, StoredConcentrator & { path: string[] }>;
  /** the collectors the file names, by number */
  collectors: Map<string, StoredCollector>;
}

const all = async <T>(tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)) as unknown as T[];

/** What a gateway sheet refers to, in three queries for the whole file. */
export async function loadGateways(tx: Tx, rows: ParsedRow[], entity: 'concentrators' | 'collectors') {
  const areas = await AreaLookup.load(tx);
  const conc = await all<StoredConcentrator & { path: string[] }>(
    tx,
    sql`select c.id, c.number, c.name, c.a1, c.a2, c.sim, c.iccid, c.area_id as "areaId", c.status,
          c.custom, a.path::text[] as path
        from concentrators c join areas a on a.id = c.area_id`,
  );
  const numbers = [...new Set(rows.map((r) => r.values.get('number')).filter((v) => typeof v === 'string'))];
  const coll =
    entity === 'collectors' && numbers.length
      ? await all<StoredCollector>(
          tx,
          sql`select c.id, c.number, c.interface, c.address, c.concentrator_id as "concentratorId",
                c.area_id as "areaId", c.status, c.custom
              from collectors c
              where c.number in (select jsonb_array_elements_text(${JSON.stringify(numbers)}::jsonb))`,
        )
      : [];
  const loaded: LoadedGateways = {
    areas,
    concentrators: new Map(conc.map((c) => [c.number, c])),
    byAddress: new Map(conc.map((c) => [`${c.a1}-${c.a2}`, c])),
    collectors: new Map(coll.map((c) => [c.number, c])),
  };
  return loaded;
}
