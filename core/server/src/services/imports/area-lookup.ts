import type { Tx } from '../../db/client.ts';
import { areas } from '../../db/schema/index.ts';

export interface AreaHit {
  id: string;
  path: string[];
  /** names from the root down, joined by `/` */
  namePath: string;
}

export type AreaFound = { ok: true; area: AreaHit } | { ok: false; code: string; message: string };

const SEP = /\s*[/／>]\s*/;

/**
 * Areas are referenced by their name path (`阳光花园小区/1号楼/1单元`): the full path from the
 * root or any unambiguous tail of it. Loads the tenant's tree once per import.
 */
export class AreaLookup {
  readonly byId = new Map<string, AreaHit>();
  private readonly byLeaf = new Map<string, { hit: AreaHit; names: string[] }[]>();

  static async load(tx: Tx): Promise<AreaLookup> {
    const rows = await tx.select({ id: areas.id, name: areas.name, path: areas.path }).from(areas);
    return new AreaLookup(rows);
  }

  constructor(rows: { id: string; name: string; path: string[] }[]) {
    const names = new Map(rows.map((r) => [r.id, r.name]));
    for (const r of rows) {
      const parts = r.path.map((id) => names.get(id) ?? '?');
      const hit = { id: r.id, path: r.path, namePath: parts.join('/') };
      this.byId.set(r.id, hit);
      const list = this.byLeaf.get(r.name) ?? [];
      list.push({ hit, names: parts });
      this.byLeaf.set(r.name, list);
    }
  }

  find(text: string): AreaFound {
    const parts = text.split(SEP).filter(Boolean);
    const candidates = (this.byLeaf.get(parts.at(-1) ?? '') ?? []).filter(
      (c) =>
        c.names.length >= parts.length &&
        parts.every((p, i) => c.names[c.names.length - parts.length + i] === p),
    );
    if (candidates.length === 1) return { ok: true, area: candidates[0].hit };
    if (candidates.length === 0) return { ok: false, code: 'unknown_area', message: `no area named ${text}` };
    return { ok: false, code: 'ambiguous_area', message: `${text} names several areas; give the full path` };
  }
}
