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

/** A number as a decimal string ('1234.5678'), or null; negative or not finite gives null. */
export function decimal(v: unknown, places = 4): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  const fixed = v.toFixed(places);
  return places > 0 ? fixed.replace(/\.?0+$/, '') || '0' : fixed;
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
}

/**
 * The reading of one measuring point's energy data. The meter-read time of the reply is
 * `measuredAt` (the receive time when the terminal sent none). The idempotency key names
 * gateway, point, kind and the frozen date or the read instant, so a re-read of the same value
 * is a duplicate.
 */
export function energyReading(c: ReadingContext, d: EnergyData): RawReading {
  const registers: Record<string, string | null> = { activeImportTotal: decimal(d.total_kWh) };
  const tariffs = d.tariffs_kWh ?? [];
  for (let i = 0; i < 4; i++) {
    if (i < tariffs.length || d.total_kWh == null) registers[ENERGY_REGISTERS[i + 1]] = decimal(tariffs[i]);
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
