import { randomUUID } from 'node:crypto';
import { buildCtwingPush } from '../../../protocols/src/push/ctwing.ts';
import { buildOneNetPush } from '../../../protocols/src/push/onenet.ts';
import type { CachedCommand } from './nbiot-platform-api.ts';

const compact = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** OneNET `send_status` and `confirm_status` for a final command status. */
const ONENET = {
  delivered: { send: 5, confirm: 0 },
  expired: { send: 4, confirm: undefined },
  failed: { send: 6, confirm: 5 /* TIME_OUT: the meter did not answer */ },
} as const;

const CODE = { delivered: 'DELIVERED', expired: 'EXPIRED', failed: 'TIMEOUT' } as const;

/**
 * The result push a platform sends the application when a cached command ends: OneNET classic
 * `msg.type = 7` (signed with the push token), CTWing `commandResponse` (`taskId` = the command
 * id), IoTDA `device.command.status`.
 */
export function resultPush(
  c: CachedCommand & { status: 'delivered' | 'expired' | 'failed' },
  o: { token?: string; productId?: string; at: number },
): Record<string, unknown> {
  const d = c.device;
  if (c.platform === 'onenet') {
    const s = ONENET[c.status];
    const msg: Record<string, unknown> = {
      type: 7,
      cmd_id: c.id,
      imei: d.imei,
      dev_id: Number(d.deviceId) || d.deviceId,
      cmd_type: 1,
      // a result carries no `at`; the expiry's time stands in for the sending's
      send_time: o.at,
      send_status: s.send,
    };
    if (s.confirm !== undefined) Object.assign(msg, { confirm_time: o.at, confirm_status: s.confirm });
    return buildOneNetPush(JSON.parse(JSON.stringify(msg)), o.token ?? '', { form: 'classic' });
  }
  if (c.platform === 'ctwing')
    return buildCtwingPush({
      messageType: 'commandResponse',
      deviceId: d.deviceId,
      productId: o.productId ?? '15000000',
      tenantId: '10000000',
      timestamp: o.at,
      taskId: Number(c.id),
      resultCode: CODE[c.status],
      resultDetail: c.reply ?? '',
    });
  return {
    resource: 'device.command.status',
    event: 'update',
    event_time: compact(o.at),
    event_time_ms: new Date(o.at).toISOString(),
    request_id: randomUUID(),
    notify_data: {
      header: {
        app_id: '',
        device_id: d.deviceId,
        node_id: d.imei,
        product_id: o.productId ?? 'quadmeter-nb',
        gateway_id: d.deviceId,
      },
      body: {
        command_id: c.id,
        created_time: compact(c.createdAt),
        sent_time: compact(o.at),
        status: c.status === 'delivered' ? 'DELIVERED' : CODE[c.status],
        result: c.reply ? { result_code: 0, result_detail: { reply: c.reply } } : null,
      },
    },
  };
}
