import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The embedded cluster's secrets, kept in `<dataDir>/db-credentials.json` (mode 600). */
export interface DbSecrets {
  /** the cluster's superuser (`postgres`), used only to bootstrap roles and databases */
  superuserPassword: string;
  /** the login role the application connects as: owns the database, not a superuser */
  ownerPassword: string;
}

export const OWNER_ROLE = 'quadmeter_owner';
/** The superuser password of clusters created before the password file existed. */
export const LEGACY_SUPERUSER_PASSWORD = 'quadmeter';

export const secretsFile = (dataDir: string) => join(dataDir, 'db-credentials.json');
const ownerFile = (dataDir: string) => join(dataDir, 'pg-owner.json');

export function newSecrets(): DbSecrets {
  const pw = () => randomBytes(24).toString('base64url');
  return { superuserPassword: pw(), ownerPassword: pw() };
}

export async function readSecrets(dataDir: string): Promise<DbSecrets | undefined> {
  const file = secretsFile(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as DbSecrets;
}

/** Writes atomically with mode 600, so the file never exists readable or half-written. */
export async function writeSecrets(dataDir: string, secrets: DbSecrets): Promise<void> {
  const file = secretsFile(dataDir);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/**
 * Creates the data folder if missing (mode 755 so that, as root, the `postgres` user can reach the
 * cluster inside). An existing folder keeps its mode: it is the operator's choice.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) return;
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755);
}

/** Which Node process started (or adopted) the running postmaster, so others leave it alone. */
export interface ClusterOwner {
  pid: number;
  postmaster: number;
}

export async function readOwner(dataDir: string): Promise<ClusterOwner | undefined> {
  try {
    return JSON.parse(await readFile(ownerFile(dataDir), 'utf8')) as ClusterOwner;
  } catch {
    return undefined;
  }
}

export async function writeOwner(dataDir: string, owner: ClusterOwner): Promise<void> {
  await writeFile(ownerFile(dataDir), JSON.stringify(owner));
}

export interface Postmaster {
  pid: number;
  port: number;
}

/** `postmaster.pid`: line 1 the pid, line 4 the port. Undefined when there is none. */
export async function readPostmasterPid(clusterDir: string): Promise<Postmaster | undefined> {
  let text: string;
  try {
    text = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a live pid is: a PostgreSQL serving `clusterDir`, another program, or unknown (no /proc).
 */
export async function identify(pid: number, clusterDir: string): Promise<'ours' | 'foreign' | 'unknown'> {
  let cmdline: string;
  try {
    cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return existsSync('/proc/self') ? 'foreign' : 'unknown';
  }
  const args = cmdline.split('\0');
  const d = args.indexOf('-D');
  const isPostgres = /(^|\/)postgres$/.test(args[0] ?? '');
  return isPostgres && d >= 0 && resolve(args[d + 1] ?? '') === resolve(clusterDir) ? 'ours' : 'foreign';
}

export async function programName(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return 'unknown';
  }
}
