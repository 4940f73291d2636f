import { AppError, isFen, type Statement, type StatementLine } from '@quadmeter/sdk';

/**
 * A card terminal's settlement export (结算单), one transaction a line:
 * `ref,kind,amountFen,feeFen,ts` with kind `sale` or `refund`; a header line starting with `ref`
 * and blank lines are skipped. Amounts are whole fen; anything else refuses the whole statement
 * (a half-read statement would reconcile wrongly).
 */
export function parseTerminalStatement(statement: Statement): StatementLine[] {
  const text =
    typeof statement.content === 'string'
      ? statement.content
      : new TextDecoder('utf-8', { fatal: true }).decode(statement.content);
  const out: StatementLine[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || /^ref\b/i.test(line)) return;
    const cells = line.split(',').map((c) => c.trim());
    const bad = (why: string) => new AppError('FILE_UNREADABLE', `Line ${i + 1}: ${why}`, { line: i + 1 });
    if (cells.length !== 5) throw bad('expected ref,kind,amountFen,feeFen,ts');
    const [ref, kind, amount, fee, ts] = cells;
    if (!/^[0-9A-Za-z-]{1,64}$/.test(ref)) throw bad('bad reference');
    if (kind !== 'sale' && kind !== 'refund') throw bad('kind must be sale or refund');
    if (!/^[0-9]{1,12}$/.test(amount) || !/^[0-9]{1,12}$/.test(fee)) throw bad('amounts must be whole fen');
    const amountFen = Number(amount);
    const feeFen = Number(fee);
    if (!isFen(amountFen) || !isFen(feeFen)) throw bad('amounts must be whole fen');
    if (Number.isNaN(Date.parse(ts))) throw bad('bad timestamp');
    out.push({
      providerTxnId: ref,
      kind: kind === 'sale' ? 'payment' : 'refund',
      amountFen,
      feeFen,
      ts: new Date(ts).toISOString(),
    });
  });
  return out;
}
