import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import type { MeterTypePlugin, RegisterDef } from '../kinds/meter-type.ts';
import type { MeterReading } from '../kinds/reading.ts';
import { fromUnits, ROLLOVER_SHARE, toUnits } from '../meter/counter.ts';
import { type CommonContractOptions, describeCommonContract } from './common-contract.ts';

export interface MeterTypeContractOptions extends CommonContractOptions {
  /** raw tenant settings to run with (default: the schema's defaults) */
  settings?: unknown;
}

const T0 = '2025-03-01T00:00:00.000Z';
const T1 = '2025-03-02T00:00:00.000Z';
const T2 = '2025-03-03T00:00:00.000Z';
const T3 = '2025-03-04T00:00:00.000Z';

function sampleValue(r: RegisterDef): number | string {
  if (r.kind === 'state') return r.states?.[0] ?? '';
  if (r.kind === 'cumulative')
    return fromUnits(Math.floor(toUnits(r.rolloverMax ?? 1000, r.decimals) / 4), r.decimals);
  if (r.min !== undefined && r.max !== undefined)
    return fromUnits(toUnits((r.min + r.max) / 2, r.decimals), r.decimals);
  if (r.min !== undefined && r.min > 0) return r.min;
  if (r.max !== undefined && r.max < 0) return r.max;
  return 0;
}

function sampleReading(registers: readonly RegisterDef[], ts: string): MeterReading {
  return { ts, registers: Object.fromEntries(registers.map((r) => [r.key, sampleValue(r)])) };
}

function reading(ts: string, key: string, value: number | string): MeterReading {
  return { ts, registers: { [key]: value } };
}

const errorsOf = (issues: { severity: string }[]) => issues.filter((i) => i.severity === 'error');

/** The meter-type conformance suite: `describeMeterTypeContract(plugin)` in a test file. */
export function describeMeterTypeContract<C, S>(
  plugin: MeterTypePlugin<C, S>,
  options: MeterTypeContractOptions = {},
): void {
  describe(`meter-type contract: ${plugin.id}`, () => {
    describeCommonContract(plugin, options);

    const settings = (
      plugin.tenantSettings ? plugin.tenantSettings.parse(options.settings ?? {}) : undefined
    ) as S;
    const cumulative = plugin.registers.filter((r) => r.kind === 'cumulative');
    const counters = fc.constantFrom(...(cumulative.length > 0 ? cumulative : plugin.registers));
    const modulus = (r: RegisterDef) => toUnits(r.rolloverMax ?? 0, r.decimals) + 1;

    describe('registers', () => {
      it('every cumulative register states where it wraps', () => {
        expect(cumulative.length).toBeGreaterThan(0);
        for (const r of cumulative) expect(r.rolloverMax, r.key).toBeGreaterThan(0);
      });
    });

    describe('validate', () => {
      it('accepts a plausible first reading and a plausible next one', () => {
        const first = sampleReading(plugin.registers, T0);
        expect(errorsOf(plugin.validate(null, first, { settings }))).toEqual([]);
        const next = sampleReading(plugin.registers, T1);
        const registers = { ...next.registers };
        for (const r of cumulative)
          registers[r.key] = fromUnits(toUnits(first.registers[r.key] as number, r.decimals) + 1, r.decimals);
        expect(errorsOf(plugin.validate(first, { ts: T1, registers }, { settings }))).toEqual([]);
      });

      it('flags a cumulative register that goes backwards', () => {
        for (const r of cumulative) {
          const v = sampleValue(r) as number;
          const back = fromUnits(toUnits(v, r.decimals) - 10 ** r.decimals, r.decimals);
          const issues = plugin.validate(reading(T0, r.key, v), reading(T1, r.key, back), { settings });
          expect(issues, r.key).toContainEqual(
            expect.objectContaining({ code: 'READING_BACKWARDS', severity: 'error', register: r.key }),
          );
        }
      });

      it('rejects a register value of the wrong type', () => {
        for (const r of plugin.registers) {
          const wrong = r.kind === 'state' ? 12.5 : 'not a number';
          const issues = plugin.validate(null, reading(T0, r.key, wrong), { settings });
          expect(errorsOf(issues).length, r.key).toBeGreaterThan(0);
        }
      });

      it('accepts a counter that wraps past its top value', () => {
        fc.assert(
          fc.property(counters, fc.integer({ min: 1, max: 1_000 }), (r, w) => {
            const top = modulus(r);
            const wrap = Math.min(w, Math.floor(top * ROLLOVER_SHARE));
            const prev = reading(T0, r.key, fromUnits(top - wrap, r.decimals));
            const next = reading(T1, r.key, 0);
            expect(errorsOf(plugin.validate(prev, next, { settings }))).toEqual([]);
          }),
        );
      });
    });

    describe('usage', () => {
      it('equals the forward step of each counter', () => {
        fc.assert(
          fc.property(
            counters,
            fc.double({ min: 0, max: 0.5, noNaN: true }),
            fc.double({ min: 0, max: 0.49, noNaN: true }),
            (r, pa, pd) => {
              const a = Math.floor(modulus(r) * pa);
              const d = Math.floor(modulus(r) * pd);
              const u = plugin.usage(
                reading(T0, r.key, fromUnits(a, r.decimals)),
                reading(T1, r.key, fromUnits(a + d, r.decimals)),
                { settings },
              );
              expect(u.registers[r.key]).toBe(fromUnits(d, r.decimals));
              expect(u.rolledOver).not.toContain(r.key);
            },
          ),
        );
      });

      it('stays positive across a rollover and reports it', () => {
        fc.assert(
          fc.property(
            counters,
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
            (r, pw, pb) => {
              const top = modulus(r);
              const w = 1 + Math.floor((Math.floor(top * ROLLOVER_SHARE) - 1) * pw);
              const b = Math.floor((w - 1) * pb);
              const prev = reading(T0, r.key, fromUnits(top - w + b, r.decimals));
              const next = reading(T1, r.key, fromUnits(b, r.decimals));
              const u = plugin.usage(prev, next, { settings });
              expect(u.registers[r.key]).toBe(fromUnits(w, r.decimals));
              expect(u.registers[r.key]).toBeGreaterThan(0);
              expect(u.rolledOver).toContain(r.key);
            },
          ),
        );
      });

      it('adds the old and the new meter runs across a replacement', () => {
        const part = fc.double({ min: 0, max: 0.24, noNaN: true });
        fc.assert(
          fc.property(counters, part, part, part, part, (r, pa, p1, pc, p2) => {
            const m = modulus(r);
            const [a, d1, c, d2] = [pa, p1, pc, p2].map((p) => Math.floor(m * p));
            const v = (units: number) => fromUnits(units, r.decimals);
            const replacement = {
              oldFinal: reading(T1, r.key, v(a + d1)),
              newInitial: reading(T2, r.key, v(c)),
            };
            const u = plugin.usage(reading(T0, r.key, v(a)), reading(T3, r.key, v(c + d2)), {
              replacement,
              settings,
            });
            expect(u.registers[r.key]).toBe(v(d1 + d2));
            expect(u.registers[r.key]).toBeGreaterThanOrEqual(0);
          }),
        );
      });

      it('refuses a counter that went backwards with a typed error', () => {
        for (const r of cumulative) {
          const v = sampleValue(r) as number;
          const back = fromUnits(toUnits(v, r.decimals) - 10 ** r.decimals, r.decimals);
          let caught: unknown;
          try {
            plugin.usage(reading(T0, r.key, v), reading(T1, r.key, back), { settings });
          } catch (e) {
            caught = e;
          }
          expect(isAppError(caught), r.key).toBe(true);
        }
      });
    });

    describe('decodeStatus', () => {
      const declared = new Map(plugin.statusFields.map((f) => [f.key, f]));
      const conforms = (flags: Record<string, boolean | string>) => {
        for (const [k, v] of Object.entries(flags)) {
          const f = declared.get(k);
          expect(f, `undeclared status field '${k}'`).toBeDefined();
          if (f?.values) expect(f.values).toContain(v);
          else expect(typeof v).toBe('boolean');
        }
      };

      it('raises no flag for all-zero bits', () => {
        for (const protocol of plugin.statusProtocols) {
          const flags = plugin.decodeStatus(0, protocol);
          conforms(flags);
          for (const v of Object.values(flags)) if (typeof v === 'boolean') expect(v).toBe(false);
        }
      });

      it('returns only declared fields and values for any status word of every protocol it names', () => {
        expect(plugin.statusProtocols.length).toBeGreaterThan(0);
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 0xffff_ffff }),
            fc.constantFrom(undefined, ...plugin.statusProtocols),
            (bits, protocol) => conforms(plugin.decodeStatus(bits, protocol)),
          ),
        );
      });

      it('claims no field for a status word of a protocol it does not know', () => {
        expect(plugin.decodeStatus(0xffff_ffff, 'no-such-protocol')).toEqual({});
      });
    });
  });
}
