import { AppError, type Statement, type StatementLine } from '@quadmeter/sdk';
import { isoOf } from './transaction.ts';

/** The header of the statement file (one `|`-separated row per transaction of the day). */
export const STATEMENT_HEADER = 'txnType|queryId|orderId|origQryId|txnAmt|fee|txnTime';

const bad = (line: number, why: string): never => {
  throw new AppError('FILE_UNREADABLE', `Statement line ${line}: ${why}`, { line });
};

const fen = (text: string, line: number): number =>
  /^[0-9]{1,12}$/.test(text) ? Number(text) : bad(line, `'${text.slice(0, 20)}' is not whole fen`);

/**
 * Reads the day's statement as the loopback sandbox writes it (see the README: the production
 * ZM file layout is not read yet): the header, then rows of consume (01, a payment of txnAmt under
 * its queryId) and refund (04, a refund under its own queryId, `orderId` our refund number). Amounts
 * and fees are fen. One unreadable row refuses the whole file (FILE_UNREADABLE).
 */
export function readStatement(s: Statement): StatementLine[] {
  let text: string;
  try {
    text =
      typeof s.content === 'string' ? s.content : new TextDecoder('utf-8', { fatal: true }).decode(s.content);
  } catch {
    return bad(1, 'not UTF-8');
  }
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (rows[0] !== STATEMENT_HEADER) bad(1, 'the header is not the statement header');
  const out: StatementLine[] = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row === '') return;
    const cols = row.split('|');
    if (cols.length !== 7) bad(line, `${cols.length} columns instead of 7`);
    const [txnType, queryId, orderId, , amt, fee, time] = cols;
    if (txnType !== '01' && txnType !== '04') bad(line, `unknown txnType '${txnType.slice(0, 4)}'`);
    if (!/^[0-9A-Za-z]{1,64}$/.test(queryId)) bad(line, 'queryId is missing or malformed');
    const ts = isoOf(time) ?? bad(line, 'txnTime is not yyyyMMddHHmmss');
    out.push({
      providerTxnId: queryId,
      ...(txnType === '01' && orderId && { orderId }),
      kind: txnType === '01' ? 'payment' : 'refund',
      amountFen: fen(amt, line),
      feeFen: fen(fee, line),
      ts,
    });
  });
  return out;
}
