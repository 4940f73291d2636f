import { AppError, isAppError } from '@quadmeter/sdk';
import { bodyLimit } from 'hono/body-limit';
import { paymentCallbacks } from '../metrics/registry.ts';
import type { Platform } from '../platform.ts';
import { todayIn } from '../services/archives/scope.ts';
import { COUNTER_PLUGIN } from '../services/payments/counter-rules.ts';
import { handleNotification } from '../services/payments/online/index.ts';
import { router } from './route-kit.ts';

/**
 * Provider callbacks of the online payment plugins at `/hooks/<plugin id>/notify`: raw bytes
 * (body limit first) to the plugin to verify, the outcome applied by the core, the plugin's ack
 * answered. A refused callback answers the plugin's error (4xx: the provider's signal that we did
 * not take it); a database failure answers 5xx, so the provider retries.
 */
export function paymentHookRoutes(p: Platform) {
  const hooks = router();
  const ids = p.registry
    .list()
    .filter((i) => i.kind === 'payment' && i.id !== COUNTER_PLUGIN)
    .map((i) => i.id);
  const limit = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new AppError('REQ_BODY_TOO_LARGE', 'The request body exceeds 64 KiB');
    },
  });
  for (const id of ids) {
    hooks.post(`/${id}/notify`, limit, async (c) => {
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((v, k) => {
        headers[k] = v;
      });
      const body = new Uint8Array(await c.req.arrayBuffer());
      const done = await handleNotification(
        p.db,
        p.registry,
        id,
        { method: 'POST', path: '/notify', params: {}, query: c.req.query(), headers, body },
        () => todayIn(p.config.QUADMETER_TIMEZONE),
      ).catch((err: unknown) => {
        paymentCallbacks.inc({ provider: id, outcome: isAppError(err) ? err.code : 'error' });
        throw err;
      });
      paymentCallbacks.inc({ provider: id, outcome: done.applied });
      if (
        done.applied === 'unknown_order' ||
        done.applied === 'amount_mismatch' ||
        done.applied === 'late_refunded'
      )
        p.logger.warn(
          { provider: id, applied: done.applied, orderId: done.orderId },
          'payment callback needs an operator',
        );
      return c.body((done.ack.body ?? null) as never, done.ack.status as 200, done.ack.headers);
    });
  }
  return hooks;
}
