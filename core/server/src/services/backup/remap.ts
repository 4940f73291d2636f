import type postgres from 'postgres';
import { ident } from './catalogue.ts';
import type { BackupColumn } from './format.ts';

const UUID_RE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/**
 * Restoring as a new tenant gives every id a new value: the old tenant id becomes the new one, any
 * other uuid u becomes md5(salt || u) — one deterministic map, so a reference restores to the same
 * new id as the row it points at, whichever table loads first, and no map has to be held. The
 * salt is random per restore, so two restores of one file side by side never share an id. Uuids
 * inside text, text[] and json(b) values (business keys, audit targets, document data) go through
 * the same map. Functions live in pg_temp, for this session only.
 */
export async function installRemap(
  tx: postgres.Sql,
  map: { fromTenant: string; toTenant: string; salt: string },
): Promise<void> {
  await tx`select set_config('qm.from_tenant', ${map.fromTenant}, true),
    set_config('qm.to_tenant', ${map.toTenant}, true), set_config('qm.salt', ${map.salt}, true)`;
  await tx.unsafe(`
    create or replace function pg_temp.qm_id(u uuid) returns uuid language sql stable as $$
      select case when u is null then null
        when u = current_setting('qm.from_tenant')::uuid then current_setting('qm.to_tenant')::uuid
        else md5(current_setting('qm.salt') || u::text)::uuid end $$;
    create or replace function pg_temp.qm_ids(a uuid[]) returns uuid[] language sql stable as $$
      select case when a is null then null else
        array(select pg_temp.qm_id(x) from unnest(a) with ordinality t(x, i) order by i) end $$;
    create or replace function pg_temp.qm_str(s text) returns text language plpgsql stable as $$
      declare m text;
      begin
        for m in select distinct x[1] from regexp_matches(s, '(${UUID_RE})', 'g') x loop
          s := replace(s, m, pg_temp.qm_id(m::uuid)::text);
        end loop;
        return s;
      end $$;
    create or replace function pg_temp.qm_strs(a text[]) returns text[] language sql stable as $$
      select array(select pg_temp.qm_str(x) from unnest(a) with ordinality t(x, i) order by i) $$;`);
}

/** Columns whose values are rewritten on restore so they stay unique across the deployment. */
const GLOBAL_UNIQUE: Record<string, Record<string, (c: string) => string>> = {
  // a copy never accepts the original's API tokens: their hashes are replaced and they are revoked
  api_tokens: {
    token_hash: (c) => `'restored:' || md5(current_setting('qm.salt') || ${c})`,
    revoked_at: (c) => `coalesce(${c}, current_setting('qm.restored_at')::timestamptz)`,
  },
  // order numbers and provider transaction ids are unique deployment-wide (callbacks look them up)
  payment_orders: {
    order_no: (c) => `'R' || left(md5(current_setting('qm.salt') || ${c}), 31)`,
    provider_txn_id: (c) => `'R' || left(md5(current_setting('qm.salt') || ${c}), 31)`,
  },
};

/**
 * The restore's expression for a staged column whose uuids were already remapped (remap-rows.ts):
 * the column itself, or its deployment-wide unique rewrite.
 */
export function restoreExpr(table: string, column: string, source: string): string {
  const c = `${source}.${ident(column)}`;
  return GLOBAL_UNIQUE[table]?.[column]?.(c) ?? c;
}

/**
 * The whole map in SQL, from a source row to its restored value: the oracle the tests compare a
 * restored copy against (the restore itself remaps in remap-rows.ts, at stream speed).
 */
export function remapExpr(table: string, column: BackupColumn, source: string): string {
  const c = `${source}.${ident(column.name)}`;
  const special = GLOBAL_UNIQUE[table]?.[column.name];
  if (special) return special(remapExpr('', column, source));
  const type = column.type;
  if (type === 'uuid') return `pg_temp.qm_id(${c})`;
  if (type === 'uuid[]') return `pg_temp.qm_ids(${c})`;
  const guard = (text: string, fn: string) => `case when ${text} ~ '${UUID_RE}' then ${fn} else ${c} end`;
  if (type === 'text' || type.startsWith('character varying')) return guard(c, `pg_temp.qm_str(${c})`);
  if (type === 'text[]') return guard(`${c}::text`, `pg_temp.qm_strs(${c})`);
  if (type === 'jsonb' || type === 'json') return guard(`${c}::text`, `pg_temp.qm_str(${c}::text)::${type}`);
  return c;
}
