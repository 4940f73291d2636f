import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { NbiotPusher, type NbPlatform } from '../pushers/nbiot-pusher.ts';
import { systemClock } from '../time/clock.ts';
import { CliError, intOption, type ParsedArgs, requireOption } from './args.ts';
import { type SimContext, untilStopped } from './context.ts';

export const NBIOT_OPTIONS = ['url', 'platform', 'token', 'meters', 'interval'] as const;

export const NBIOT_USAGE =
  'sim nbiot --url URL --platform onenet|ctwing|iotda [--token T] [--meters 5] [--interval 10]';

/** `sim nbiot`: NB-IoT water meters pushed through a platform's HTTP push. */
export async function nbiotCommand(p: ParsedArgs, ctx: SimContext): Promise<number> {
  const url = requireOption(p, 'url');
  const platform = requireOption(p, 'platform');
  if (platform !== 'onenet' && platform !== 'ctwing' && platform !== 'iotda')
    throw new CliError('--platform must be onenet, ctwing or iotda');
  const token = p.options.get('token');
  if (platform === 'onenet' && !token) throw new CliError('--token is required for onenet');
  const n = intOption(p, 'meters', 5, 1, 100_000);
  const devices = Array.from({ length: n }, (_, i) => {
    const meter = new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: String(i + 1).padStart(14, '0'),
      clock: systemClock,
      initialVolume: 10 + i,
    });
    return {
      imei: `86${String(i + 1).padStart(13, '0')}`,
      deviceId: String(100_000 + i + 1),
      source: { kind: 'cjt188' as const, meter },
    };
  });
  const pusher = new NbiotPusher({
    url,
    platform: platform as NbPlatform,
    token,
    devices,
    intervalSec: intOption(p, 'interval', 10, 1),
    onResult: (r) => ctx.log(`${r.deviceId} → ${r.status || r.error} ${r.bytes}`),
  });
  ctx.log(`pushing ${n} ${platform} NB-IoT meter(s) to ${url} every ${pusher.options.intervalSec} s`);
  pusher.start();
  await untilStopped(ctx.signal);
  pusher.stop();
  return 0;
}
