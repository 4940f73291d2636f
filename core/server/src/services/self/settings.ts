import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

export type BindMethod = 'sms' | 'id_digits' | 'either';

export interface SelfSettings {
  /** how customers prove they hold an account when binding it (decision 0046) */
  bindMethod: BindMethod;
}

export const DEFAULT_SELF_SETTINGS: SelfSettings = { bindMethod: 'sms' };

/** The tenant's self-service settings (the defaults until an administrator saves them). */
export async function selfSettings(tx: Tx): Promise<SelfSettings> {
  const [row] = await tx.execute<{ bindMethod: BindMethod }>(
    sql`select bind_method as "bindMethod" from self_settings`,
  );
  return row ? { bindMethod: row.bindMethod } : DEFAULT_SELF_SETTINGS;
}

export async function saveSelfSettings(tx: Tx, tenantId: string, s: SelfSettings): Promise<SelfSettings> {
  await tx.execute(sql`insert into self_settings (tenant_id, bind_method) values (${tenantId}, ${s.bindMethod})
    on conflict (tenant_id) do update set bind_method = excluded.bind_method, updated_at = now()`);
  return await selfSettings(tx);
}

/** SELF_METHOD_NOT_ALLOWED unless the tenant's setting offers `method`. */
export async function requireMethod(tx: Tx, method: 'sms' | 'id_digits'): Promise<void> {
  const { bindMethod } = await selfSettings(tx);
  if (bindMethod !== 'either' && bindMethod !== method)
    throw new AppError('SELF_METHOD_NOT_ALLOWED', undefined, { method, allowed: bindMethod });
}
