import type postgres from 'postgres';
import type { Tx } from './client.ts';

/**
 * The postgres.js handle beneath a drizzle transaction, for the few statements that must travel
 * together in one simple-protocol round trip (setting the tenant and loading the actor).
 */
export function rawClient(tx: Tx): postgres.Sql {
  return (tx as unknown as { session: { client: postgres.Sql } }).session.client;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A literal for the simple protocol, which takes no parameters: only values whose whole alphabet
 * is hex digits and dashes are accepted, so nothing can break out of the quotes.
 */
export function safeLiteral(value: string, kind: 'uuid' | 'hex64'): string {
  if (!(kind === 'uuid' ? UUID : HEX64).test(value)) throw new TypeError(`not a ${kind}: ${value}`);
  return `'${value}'`;
}
