import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';

export interface ControlSettings {
  /** a batch cut over more meters than this waits for a second person's approval */
  approvalThreshold: number;
  /** a command not delivered within this many minutes expires (never sent) */
  expiryMinutes: number;
  /** deliveries tried before a command fails */
  maxAttempts: number;
}

export const DEFAULT_CONTROL_SETTINGS: ControlSettings = {
  approvalThreshold: 50,
  expiryMinutes: 1440,
  maxAttempts: 3,
};

/** The tenant's control policy (the defaults until an administrator saves one). */
export async function controlSettings(tx: Tx): Promise<ControlSettings> {
  const [row] = (await tx.execute(sql`
    select approval_threshold as "approvalThreshold", expiry_minutes as "expiryMinutes",
      max_attempts as "maxAttempts" from control_settings`)) as unknown as ControlSettings[];
  return row ?? DEFAULT_CONTROL_SETTINGS;
}

export async function saveControlSettings(
  tx: Tx,
  tenantId: string,
  s: ControlSettings,
): Promise<ControlSettings> {
  await tx.execute(sql`
    insert into control_settings (tenant_id, approval_threshold, expiry_minutes, max_attempts)
    values (${tenantId}, ${s.approvalThreshold}, ${s.expiryMinutes}, ${s.maxAttempts})
    on conflict (tenant_id) do update set approval_threshold = excluded.approval_threshold,
      expiry_minutes = excluded.expiry_minutes, max_attempts = excluded.max_attempts, updated_at = now()`);
  return await controlSettings(tx);
}
