import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { LoraPusher } from '../pushers/lora-pusher.ts';
import { systemClock } from '../time/clock.ts';
import { intOption, type ParsedArgs } from './args.ts';
import { type SimContext, untilStopped } from './context.ts';

export const LORA_OPTIONS = ['mqtt', 'app', 'devices', 'interval', 'topic-prefix'] as const;

export const LORA_USAGE =
  'sim lora [--mqtt mqtt://127.0.0.1:1883] [--app ID] [--devices 5] [--interval 10] [--topic-prefix P]';

/** `sim lora`: LoRaWAN water meters publishing ChirpStack v4 events to MQTT. */
export async function loraCommand(p: ParsedArgs, ctx: SimContext): Promise<number> {
  const mqttUrl = p.options.get('mqtt') ?? 'mqtt://127.0.0.1:1883';
  const applicationId = p.options.get('app') ?? '1';
  const n = intOption(p, 'devices', 5, 1, 100_000);
  const devices = Array.from({ length: n }, (_, i) => ({
    devEui: `70b3d5fffe${(i + 1).toString(16).padStart(6, '0')}`,
    meter: new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: String(i + 1).padStart(14, '0'),
      clock: systemClock,
      initialVolume: 5 + i,
    }),
  }));
  const pusher = new LoraPusher({
    mqttUrl,
    applicationId,
    devices,
    intervalSec: intOption(p, 'interval', 10, 1),
    topicPrefix: p.options.get('topic-prefix') ?? '',
    onLog: ctx.log,
  });
  await pusher.start();
  ctx.log(
    `connected to ${mqttUrl}; ${n} device(s) publish on application/${applicationId}/device/<devEui>/event/up`,
  );
  ctx.log(`listening for downlinks on application/${applicationId}/device/+/command/down`);
  for (const d of devices) ctx.log(`  ${d.devEui} meter ${d.meter.address}`);
  await untilStopped(ctx.signal);
  await pusher.stop();
  return 0;
}
