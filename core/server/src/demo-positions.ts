import { sql } from 'drizzle-orm';
import type { Tx } from './db/client.ts';

/** Around the People's Square, Shanghai: the demo estate's stand-in location (WGS-84). */
const BASE = { lat: 31.2304, lng: 121.4737 };

/**
 * Gives the demo meters a position for the field app's nearest-first list (migration 0030): each
 * community (the area two below the company) a spot within ~2 km of BASE, each meter a point within
 * ~200 m of it, both from hashes so every run places them alike. Only meters without one: a second
 * run writes nothing.
 */
export async function placeDemoMeters(tx: Tx): Promise<number> {
  const rows = (await tx.execute(sql`
    update meters m set
      lat = ${BASE.lat} + (abs(hashtext(coalesce(a.path[3], a.id)::text)) % 400 - 200) / 10000.0
        + (abs(hashtext(m.asset_no)) % 400 - 200) / 100000.0,
      lng = ${BASE.lng} + (abs(hashtext(coalesce(a.path[3], a.id)::text || 'x')) % 400 - 200) / 10000.0
        + (abs(hashtext(m.asset_no || 'x')) % 400 - 200) / 100000.0
    from areas a where a.id = m.area_id and m.lat is null
    returning m.id`)) as unknown as unknown[];
  return rows.length;
}
