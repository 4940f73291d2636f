import { createHash } from 'node:crypto';

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/**
 * The restore's id map applied to COPY text as it streams past: every uuid-shaped value anywhere
 * in a row (uuid and uuid[] columns, ids inside text, json and arrays) becomes its new id — the
 * old tenant id the new one, any other u md5(salt || lower(u)) — the same map as the SQL of
 * remap.ts (which the tests use as the independent oracle). Chunks are cut at row ends (a
 * newline, never inside a uuid or a UTF-8 sequence) and the rest carried to the next chunk.
 */
export class RowRemapper {
  private carry = '';
  private cache = new Map<string, string>();
  private from: string;
  private to: string;
  private salt: string;
  constructor(map: { fromTenant: string; toTenant: string; salt: string }) {
    this.from = map.fromTenant.toLowerCase();
    this.to = map.toTenant;
    this.salt = map.salt;
  }

  id(u: string): string {
    const lower = u.toLowerCase();
    if (lower === this.from) return this.to;
    let mapped = this.cache.get(lower);
    if (!mapped) {
      const h = createHash('md5')
        .update(this.salt + lower)
        .digest('hex');
      mapped = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      if (this.cache.size > 1_000_000) this.cache.clear();
      this.cache.set(lower, mapped);
    }
    return mapped;
  }

  /** The complete rows of carry + chunk, remapped; an incomplete last row waits for the next. */
  push(chunk: Buffer): Buffer {
    const text = this.carry + chunk.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    this.carry = text.slice(end);
    return Buffer.from(
      text.slice(0, end).replace(UUID, (u) => this.id(u)),
      'utf8',
    );
  }

  /** What is left at the end of a table: nothing, for a well-formed COPY stream. */
  flush(): Buffer {
    const rest = this.carry.replace(UUID, (u) => this.id(u));
    this.carry = '';
    return Buffer.from(rest, 'utf8');
  }
}
