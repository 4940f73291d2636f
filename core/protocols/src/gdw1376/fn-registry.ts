import { AFN0A } from './fn-afn0a.ts';
import { AFN04 } from './fn-afn04.ts';
import { AFN05 } from './fn-afn05.ts';
import { AFN10 } from './fn-afn10.ts';
import { AFN0C, AFN0D } from './fn-data.ts';
import { AFN00, AFN02 } from './fn-link.ts';
import { EMPTY } from './layouts.ts';
import type { Direction, FnDef, FnLayout } from './types.ts';

/** The Fn this codec types, per AFN. Other Fn of a known AFN keep their data as hex. */
const REGISTRY: ReadonlyMap<number, readonly FnDef[]> = new Map([
  [0x00, AFN00],
  [0x02, AFN02],
  [0x04, AFN04],
  [0x05, AFN05],
  [0x0a, AFN0A],
  [0x0c, AFN0C],
  [0x0d, AFN0D],
  [0x10, AFN10],
]);

export function findFn(afn: number, fn: number): FnDef | undefined {
  return REGISTRY.get(afn)?.find((d) => d.fn === fn);
}

/** AFN 0C requests carry no data for any Fn, so even untyped Fn split cleanly. */
function defaultLayout(afn: number, dir: Direction): FnLayout | undefined {
  return afn === 0x0c && dir === 'down' ? EMPTY : undefined;
}

export function fnLayout(afn: number, dir: Direction, fn: number): FnLayout | undefined {
  return findFn(afn, fn)?.[dir] ?? defaultLayout(afn, dir);
}

/** Every typed (AFN, Fn, direction), for documentation and tests. */
export function typedFns(): { afn: number; fn: number; name: string; dirs: Direction[] }[] {
  const out: { afn: number; fn: number; name: string; dirs: Direction[] }[] = [];
  for (const [afn, defs] of REGISTRY) {
    for (const d of defs) {
      out.push({
        afn,
        fn: d.fn,
        name: d.name,
        dirs: (['down', 'up'] as const).filter((k) => d[k] !== undefined),
      });
    }
  }
  return out;
}
