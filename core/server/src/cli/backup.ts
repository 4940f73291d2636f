import { parseCommand, text, usage } from './args.ts';
import { withDatabase } from './commands.ts';

const BACKUP_USAGE = 'quadmeter backup --tenant <code> (--out <file> | --dir <directory> [--keep <n>])';
const RESTORE_USAGE =
  'quadmeter restore <file> (--as-new-tenant <code> [--name <name>] | --replace --confirm <code>)';

/** `quadmeter backup`: one tenant into one file, or into a directory with retention (for cron). */
export async function backupCommand(args: string[]): Promise<number> {
  const p = parseCommand('backup', args, {
    tenant: { type: 'string' },
    out: { type: 'string' },
    dir: { type: 'string' },
    keep: { type: 'string' },
  });
  const [tenant, out, dir] = [text(p, 'tenant'), text(p, 'out'), text(p, 'dir')];
  if (!tenant || p.positionals.length > 0 || (out ? 1 : 0) + (dir ? 1 : 0) !== 1) throw usage(BACKUP_USAGE);
  if (out && text(p, 'keep') !== undefined) throw usage(BACKUP_USAGE);
  const { backupTenant } = await import('../services/backup/backup.ts');
  const { backupToDirectory } = await import('../services/backup/retention.ts');
  const result = await withDatabase((db) =>
    out ? backupTenant(db, tenant, out) : backupToDirectory(db, tenant, dir!, Number(text(p, 'keep') ?? '7')),
  );
  const rows = result.manifest.tables.reduce((n, t) => n + t.rows, 0);
  console.log(
    JSON.stringify({
      file: result.file,
      bytes: result.bytes,
      tables: result.manifest.tables.length,
      rows,
      ...('removed' in result ? { removed: result.removed } : {}),
    }),
  );
  return 0;
}

/** `quadmeter restore`: verifies the whole file first, then restores it as a new or the same tenant. */
export async function restoreCommand(args: string[]): Promise<number> {
  const p = parseCommand('restore', args, {
    'as-new-tenant': { type: 'string' },
    name: { type: 'string' },
    replace: { type: 'boolean' },
    confirm: { type: 'string' },
  });
  const [file, ...rest] = p.positionals;
  const asNew = text(p, 'as-new-tenant');
  const replace = p.values.replace === true;
  if (!file || rest.length > 0 || (asNew === undefined) === !replace) throw usage(RESTORE_USAGE);
  const { restoreAsNewTenant } = await import('../services/backup/restore.ts');
  const { restoreReplacing } = await import('../services/backup/replace.ts');
  const result = await withDatabase(async (db) => {
    if (asNew !== undefined)
      return await restoreAsNewTenant(db, file, { code: asNew, name: text(p, 'name') });
    const confirm = text(p, 'confirm');
    // the tenant being replaced is the one the backup was made of
    const { walkBackup } = await import('../services/backup/read.ts');
    const { header } = await walkBackup(file);
    return await restoreReplacing(db, file, { code: header.tenant.code, confirm });
  });
  const rows = Object.values(result.rows).reduce((n, r) => n + r, 0);
  const { salt: _salt, restoredAt: _at, rows: _rows, ...shown } = result;
  console.log(JSON.stringify({ ...shown, rows }));
  return 0;
}
