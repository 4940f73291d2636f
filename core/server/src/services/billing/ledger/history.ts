import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { type OpenItem, openItems } from './allocate.ts';
import { entryColumns, type LedgerEntry } from './entry.ts';

export type EntryWithBalance = LedgerEntry & { balanceAfterFen: number };

export interface EntryPage {
  items: EntryWithBalance[];
  /** the id to pass as `before` for the next (older) page, or null at the first entry */
  next: string | null;
}

/**
 * An account's entries newest first, in keyset pages by id, each with the balance right after it
 * (in posting order). One sum for the page's first row, then the page is walked back.
 */
export async function listEntries(
  tx: Tx,
  accountId: string,
  o: { before?: string; limit: number },
): Promise<EntryPage> {
  const before = o.before ? sql`and e.id < ${o.before}::bigint` : sql``;
  const rows = await tx.execute<LedgerEntry>(sql`
    select ${entryColumns} from ledger_entries e
    where e.account_id = ${accountId} ${before}
    order by e.id desc limit ${o.limit + 1}`);
  const page = rows.slice(0, o.limit);
  if (page.length === 0) return { items: [], next: null };
  const [top] = await tx.execute<{ fen: number }>(sql`
    select coalesce(sum(amount_fen), 0)::float8 as fen from ledger_entries
    where account_id = ${accountId} and id <= ${page[0].id}::bigint`);
  let running = top.fen;
  const items = page.map((e) => {
    const item = { ...e, balanceAfterFen: running };
    running -= e.amountFen;
    return item;
  });
  return { items, next: rows.length > o.limit ? page[page.length - 1].id : null };
}

/** The most entries a statement lists; a longer period is cut and marked `truncated`. */
export const STATEMENT_MAX_ENTRIES = 5000;

export interface Statement {
  accountId: string;
  from: string;
  to: string;
  openingFen: number;
  closingFen: number;
  debitsFen: number;
  creditsFen: number;
  entries: EntryWithBalance[];
  truncated: boolean;
  /** what is still owed today, per debit, in settling order */
  openItems: OpenItem[];
}

/**
 * The account statement (对账单) for business dates from..to (inclusive): the balance before the
 * period, the period's entries by business date with the running balance, the balance at its end,
 * and today's open items.
 */
export async function statementOf(
  tx: Tx,
  accountId: string,
  period: { from: string; to: string; asOf?: string },
): Promise<Statement> {
  const [open] = await tx.execute<{ fen: number }>(sql`
    select coalesce(sum(amount_fen), 0)::float8 as fen from ledger_entries
    where account_id = ${accountId} and occurred_on < ${period.from}::date`);
  const [sums] = await tx.execute<{ debits: number; credits: number }>(sql`
    select coalesce(sum(-amount_fen) filter (where amount_fen < 0), 0)::float8 as debits,
      coalesce(sum(amount_fen) filter (where amount_fen > 0), 0)::float8 as credits
    from ledger_entries
    where account_id = ${accountId} and occurred_on between ${period.from}::date and ${period.to}::date`);
  const rows = await tx.execute<LedgerEntry>(sql`
    select ${entryColumns} from ledger_entries e
    where e.account_id = ${accountId} and e.occurred_on between ${period.from}::date and ${period.to}::date
    order by e.occurred_on, e.id limit ${STATEMENT_MAX_ENTRIES + 1}`);
  let running = open.fen;
  const entries = rows.slice(0, STATEMENT_MAX_ENTRIES).map((e) => {
    running += e.amountFen;
    return { ...e, balanceAfterFen: running };
  });
  return {
    accountId,
    from: period.from,
    to: period.to,
    openingFen: open.fen,
    closingFen: open.fen + sums.credits - sums.debits,
    debitsFen: sums.debits,
    creditsFen: sums.credits,
    entries,
    truncated: rows.length > STATEMENT_MAX_ENTRIES,
    openItems: await openItems(tx, accountId, { asOf: period.asOf }),
  };
}
