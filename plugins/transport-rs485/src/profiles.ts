import type { DiOrder } from '@quadmeter/protocols/cjt188/index.ts';

/**
 * What differs between meter makes on the same protocol, as data: how many FE wake-up bytes a
 * request carries, how long the meter takes to answer, the CJ/T 188 identifier byte order and
 * meter type byte, and which relay action "close" means. A meter names its profile in
 * `MeterTarget.params.profile` (or the line in `LineRef.params.profile`); `default` otherwise.
 */
export interface VendorProfile {
  /** FE bytes sent before each request */
  wake: number;
  /** reply latency, ms; the line's `latencyMs` when absent */
  latencyMs?: number;
  /** CJ/T 188: DI byte order on the wire */
  cjt188DiOrder: DiOrder;
  /** CJ/T 188: meter type byte T to send (AA: any type answers) */
  cjt188MeterType: number;
  /** DL/T 645-2007: relay-close sends "allow close" (1B) or "direct close" (1C) */
  relayClose: 'allow-close' | 'direct-close';
  /**
   * DL/T 645-2007: the meter reports keep-power (保电) in status word 3 bit D12, so a clear bit
   * means "off" (without it only a set bit is taken as an answer)
   */
  keepPowerBit?: boolean;
}

export const profiles: Readonly<Record<string, VendorProfile>> = {
  default: { wake: 4, cjt188DiOrder: 'standard', cjt188MeterType: 0xaa, relayClose: 'allow-close' },
  /** CJ/T 188 meters that send the identifier high byte first (90 1F) */
  'cjt188-swapped': { wake: 2, cjt188DiOrder: 'swapped', cjt188MeterType: 0xaa, relayClose: 'allow-close' },
  /** cold-water meters that answer only their own type byte */
  'cjt188-cold-water': {
    wake: 2,
    cjt188DiOrder: 'standard',
    cjt188MeterType: 0x10,
    relayClose: 'allow-close',
  },
  /** slow battery meters: longer wake-up and latency */
  'battery-slow': {
    wake: 8,
    latencyMs: 600,
    cjt188DiOrder: 'standard',
    cjt188MeterType: 0xaa,
    relayClose: 'allow-close',
  },
  /** smart meters whose 1B only arms the relay: close directly */
  'dlt645-direct-close': {
    wake: 4,
    cjt188DiOrder: 'standard',
    cjt188MeterType: 0xaa,
    relayClose: 'direct-close',
  },
  /** State Grid smart meters: keep-power in status word 3 D12, close directly */
  'dlt645-smart': {
    wake: 4,
    cjt188DiOrder: 'standard',
    cjt188MeterType: 0xaa,
    relayClose: 'direct-close',
    keepPowerBit: true,
  },
};

/** The profile a meter uses: its own, else its line's, else `default`; unknown names fall back too. */
export function profileFor(
  meterParams?: Readonly<Record<string, unknown>>,
  lineProfile?: string,
): VendorProfile {
  const name = typeof meterParams?.profile === 'string' ? meterParams.profile : lineProfile;
  return (name && profiles[name]) || profiles.default;
}
