import type { GatewayAddress, RawReading, ReadingKind } from '@quadmeter/sdk';

/** Register keys of the electricity meter type, main energy and tariffs 1..4. */
export const ENERGY_REGISTERS = [
  'activeImportTotal',
  'activeImportT1',
  'activeImportT2',
  'activeImportT3',
  'activeImportT4',
] as const;

/** F129 / F161 / F177 data as the codec decodes it; every field null when the terminal had no value. */
export interface EnergyData {
  time?: string | null;
  tariffCount?: number | null;
  total_kWh?: number | null;
  tariffs_kWh?: (number | null)[];
}

/**
 * A number as a decimal string cut (not rounded, as a meter display does) to `places`, trailing
 * zeros dropped ('1234.5678' with 2 places → '1234.56'); null when negative or not finite.
 */
export function decimal(v: unknown, places: number): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  const [int, frac = ''] = v.toFixed(6).split('.');
  const cut = frac.slice(0, places).replace(/0+$/, '');
  return cut ? `${int}.${cut}` : int;
}

/** A terminal wall time 'YYYY-MM-DD HH:MM[:SS]' at `offsetMin` from UTC → ISO instant. */
export function wallToIso(text: string | null | undefined, offsetMin: number): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export interface ReadingContext {
  gateway: GatewayAddress;
  pn: number;
  kind: Extract<ReadingKind, 'realtime' | 'daily' | 'monthly'>;
  frozenFor?: string;
  receivedAt: string;
  utcOffsetMin: number;
  tenantId: string;
  /** decimal places kept of the A.14 energy (XXXXXX.XXXX) */
  energyDecimals: number;
}

/**
 * The reading of one measuring point's energy data. The meter-read time of the reply is
 * `measuredAt` (the receive time when the terminal sent none). The idempotency key names
 * gateway, point, kind and the frozen date or the read instant, so a re-read of the same value
 * is a duplicate.
 */
export function energyReading(c: ReadingContext, d: EnergyData): RawReading {
  const places = c.energyDecimals;
  const registers: Record<string, string | null> = { activeImportTotal: decimal(d.total_kWh, places) };
  const tariffs = d.tariffs_kWh ?? [];
  for (let i = 0; i < 4; i++) {
    if (i < tariffs.length || d.total_kWh == null)
      registers[ENERGY_REGISTERS[i + 1]] = decimal(tariffs[i], places);
  }
  const measuredAt = wallToIso(d.time, c.utcOffsetMin) ?? c.receivedAt;
  const when = c.kind === 'realtime' ? measuredAt : c.frozenFor;
  const g = `${c.gateway.a1}-${c.gateway.a2}`;
  return {
    route: { via: 'concentrator', gateway: c.gateway, point: c.pn },
    kind: c.kind,
    measuredAt,
    receivedAt: c.receivedAt,
    ...(c.kind !== 'realtime' && { frozenFor: c.frozenFor }),
    registers,
    idempotencyKey: `gdw1376:${g}:p${c.pn}:${c.kind}:${when}`,
    tenantId: c.tenantId,
  };
}
