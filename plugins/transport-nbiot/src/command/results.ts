import type { PushEvent } from '@quadmeter/protocols/push/index.ts';
import type { ControlUpdate, PluginContext } from '@quadmeter/sdk';

/** OneNET `send_status` of a cached command (PROTOCOLS-CONTROL.md §4.2). */
const ONENET_SEND = { cancelled: 2, expired: 4, success: 5, failed: 6 } as const;

/** CTWing / IoTDA result codes and what they mean for the command. */
const DELIVERED = new Set(['DELIVERED', 'SUCCESSFUL', 'SUCCESS']);
const FAILED: Record<string, string> = {
  FAILED: 'NBIOT_COMMAND_FAILED',
  TIMEOUT: 'NBIOT_COMMAND_TIMEOUT',
  EXPIRED: 'NBIOT_COMMAND_EXPIRED',
  CANCELED: 'NBIOT_COMMAND_CANCELLED',
  CANCELLED: 'NBIOT_COMMAND_CANCELLED',
};

function failed(ref: string, code: string, message: string, at: string): ControlUpdate {
  return {
    platformRef: ref,
    status: 'failed',
    error: { code, message, retryable: false },
    detail: message,
    at,
  };
}

/** OneNET type 7: `cmd_id`, `send_status`, `confirm_status`. */
function onenet(ev: PushEvent): ControlUpdate | undefined {
  const ref = ev.meta.cmd_id;
  if (typeof ref !== 'string' || ref === '') return undefined;
  const send = Number(ev.meta.send_status);
  const confirm = ev.meta.confirm_status === undefined ? undefined : Number(ev.meta.confirm_status);
  if (send === ONENET_SEND.success) {
    if (confirm === undefined || confirm === 0)
      return { platformRef: ref, status: 'delivered', detail: 'OneNET: written to the device', at: ev.time };
    return failed(
      ref,
      'NBIOT_COMMAND_FAILED',
      `OneNET: the device answered confirm_status ${confirm}`,
      ev.time,
    );
  }
  if (send === ONENET_SEND.expired)
    return failed(ref, 'NBIOT_COMMAND_EXPIRED', 'OneNET: expired before the device reported', ev.time);
  if (send === ONENET_SEND.cancelled)
    return failed(ref, 'NBIOT_COMMAND_CANCELLED', 'OneNET: cancelled', ev.time);
  if (send === ONENET_SEND.failed)
    return failed(
      ref,
      'NBIOT_COMMAND_FAILED',
      `OneNET: sending failed (confirm_status ${String(confirm ?? '-')})`,
      ev.time,
    );
  // 1 waiting, 3 sent (no answer yet), 8 unknown: nothing to report
  return undefined;
}

function byCode(platform: string, ref: unknown, code: unknown, at: string): ControlUpdate | undefined {
  if ((typeof ref !== 'string' && typeof ref !== 'number') || String(ref) === '' || typeof code !== 'string')
    return undefined;
  const c = code.toUpperCase();
  if (DELIVERED.has(c))
    return { platformRef: String(ref), status: 'delivered', detail: `${platform}: ${c}`, at };
  const f = FAILED[c];
  return f ? failed(String(ref), f, `${platform}: ${c}`, at) : undefined;
}

/** What a platform's command result push says about the command, if anything final. */
export function resultUpdate(ev: PushEvent): ControlUpdate | undefined {
  if (ev.kind !== 'command-response') return undefined;
  if (ev.platform === 'onenet') return onenet(ev);
  if (ev.platform === 'ctwing') return byCode('CTWing', ev.meta.taskId, ev.meta.resultCode, ev.time);
  if (ev.platform === 'iotda') return byCode('IoTDA', ev.meta.command_id, ev.meta.status, ev.time);
  return undefined;
}

const seenByCtx = new WeakMap<PluginContext, Map<string, true>>();
const MAX_SEEN = 10_000;

/**
 * Reports a result push to the core once: a redelivered or replayed push (same tenant, command and
 * outcome) is not reported again. The core itself leaves a finished command as it is.
 * Returns 'reported', 'duplicate' or 'ignored' (nothing final in the push).
 */
export async function reportResult(
  ctx: PluginContext,
  tenantId: string,
  ev: PushEvent,
): Promise<'reported' | 'duplicate' | 'ignored'> {
  const u = resultUpdate(ev);
  if (!u) return 'ignored';
  const seen = seenByCtx.get(ctx) ?? new Map<string, true>();
  seenByCtx.set(ctx, seen);
  const key = `${tenantId}|${ev.platform}|${u.platformRef}|${u.status}|${u.error?.code ?? ''}`;
  if (seen.has(key)) return 'duplicate';
  const r = await ctx.core.controlUpdate(tenantId, u);
  if (seen.size >= MAX_SEEN) seen.delete(seen.keys().next().value as string);
  seen.set(key, true);
  if (!r.matched)
    ctx.logger.warn({ tenantId, platformRef: u.platformRef }, 'command result for no command of the tenant');
  return 'reported';
}
