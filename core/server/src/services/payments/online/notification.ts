import { AppError, type PluginRequest, type PluginResponse } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { withSystem, withTenant } from '../../../db/tenant.ts';
import type { Registry } from '../../../registry/index.ts';
import { type Applied, applyOutcome } from './apply-outcome.ts';
import { orderByNo } from './order-dto.ts';
import { runningProvider } from './providers.ts';

export interface NotificationResult {
  ack: PluginResponse;
  applied: Applied | 'unknown_order';
  tenantId?: string;
  orderId?: string;
}

/**
 * A provider's callback: the plugin verifies it on the raw bytes (a refusal propagates as its
 * AppError, so the provider sees 4xx and a forger learns nothing more); the order number, unique
 * over all tenants, names the tenant (the one cross-tenant read, of one column); the outcome is
 * applied in that tenant's transaction under the order's row lock; the plugin's ack is returned.
 * An order we do not know is answered with the ack too, so the provider stops retrying.
 */
export async function handleNotification(
  db: Db,
  registry: Registry,
  providerId: string,
  request: PluginRequest,
  today: (tenantId: string) => string,
): Promise<NotificationResult> {
  const provider = runningProvider(registry, providerId);
  const { outcome, ack } = await provider.plugin.parseNotification(request, provider.ctx);
  const [owner] = await withSystem(db, (tx) =>
    tx.execute<{ tenant_id: string }>(sql`
      select tenant_id from payment_orders where order_no = ${outcome.orderId} and provider = ${providerId}`),
  );
  if (!owner) return { ack, applied: 'unknown_order' };
  return await withTenant(db, owner.tenant_id, async (tx) => {
    const order = await orderByNo(tx, providerId, outcome.orderId);
    if (!order) throw new AppError('INTERNAL', 'the order vanished between lookups');
    const applied = await applyOutcome(tx, provider, owner.tenant_id, order, outcome, today(owner.tenant_id));
    return { ack, applied, tenantId: owner.tenant_id, orderId: order.id };
  });
}
