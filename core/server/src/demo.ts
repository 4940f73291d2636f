import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { operators, pluginSettings, tenants } from './db/schema/index.ts';
import { readSystem, withSystem, withTenant } from './db/tenant.ts';
import { seedDemoAreas } from './demo-areas.ts';
import { seedDemoEstate } from './demo-estate.ts';
import { seedDemoPrepaid } from './demo-prepaid.ts';
import { seedDemoSchedules } from './demo-reading.ts';
import { seedDemoTariffs } from './demo-tariffs.ts';
import { assertStrongPassword } from './services/identity/password-policy.ts';
import { hashPassword } from './services/identity/passwords.ts';
import { createTenant, findTenantByCode } from './services/tenants/tenants.ts';

export interface DemoLogin {
  tenant: 'demo';
  username: 'admin';
  password: string;
}

export interface OperatorLogin {
  tenant: 'platform';
  username: 'operator';
  password: string;
}

/** What a start created just now; an absent part already existed (or was not wanted). */
export interface SeedResult {
  demo?: DemoLogin;
  operator?: OperatorLogin;
}

/** auto: only into an empty platform (no tenant yet); on: create it if missing; off: never. */
export type DemoMode = 'auto' | 'on' | 'off';

const DEMO_TENANT = 'demo';
/** the meter types of the demo's meters and the transports that read its simulated lines */
export const demoPlugins = [
  'meter-water',
  'meter-power',
  'meter-gas',
  'meter-heat',
  'transport-rs485',
  'transport-mbus',
  'transport-gdw1376',
] as const;

export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');

const generated = () => randomBytes(12).toString('base64url');

export function demoMode(config: Config): DemoMode {
  return config.QUADMETER_DEMO ?? 'auto';
}

/**
 * The start's seeding: the first platform operator when there is none, and the demo tenant
 * (`demo` / `admin`, its area tree and archive (demo-estate.ts), the four meter types and the
 * serial and concentrator transports enabled, an hourly and a daily-frozen schedule) per
 * `mode`. Nothing that exists is changed; passwords come from QUADMETER_DEMO_PASSWORD /
 * QUADMETER_OPERATOR_PASSWORD or are generated, and what was created is appended to
 * `<dataDir>/credentials.json` (mode 600).
 */
export async function seedOnStart(
  db: Db,
  config: Config,
  mode: DemoMode = demoMode(config),
): Promise<SeedResult> {
  const result: SeedResult = {};
  const operatorPassword = config.QUADMETER_OPERATOR_PASSWORD ?? generated();
  if (await createFirstOperator(db, operatorPassword)) {
    result.operator = { tenant: 'platform', username: 'operator', password: operatorPassword };
  }
  if (await wantsDemo(db, mode)) {
    const password = config.QUADMETER_DEMO_PASSWORD ?? generated();
    await createDemoTenant(db, password, config.QUADMETER_DEMO_ESTATE === 'on', config.QUADMETER_TIMEZONE);
    result.demo = { tenant: 'demo', username: 'admin', password };
  }
  if (result.demo || result.operator) await remember(config.QUADMETER_DATA_DIR, result);
  return result;
}

async function wantsDemo(db: Db, mode: DemoMode): Promise<boolean> {
  if (mode === 'off') return false;
  if (mode === 'on') return !(await findTenantByCode(db, DEMO_TENANT));
  const [row] = await readSystem(db, (q) => q.select({ n: count() }).from(tenants));
  return row.n === 0;
}

/** Creates `operator` when the platform has no operator at all; true when it did. */
async function createFirstOperator(db: Db, password: string): Promise<boolean> {
  const [row] = await readSystem(db, (q) => q.select({ n: count() }).from(operators));
  if (row.n > 0) return false;
  assertStrongPassword(password, 'QUADMETER_OPERATOR_PASSWORD');
  const passwordHash = await hashPassword(password);
  const inserted = await withSystem(db, (tx) =>
    tx
      .insert(operators)
      .values({ username: 'operator', displayName: '平台运维', passwordHash })
      .onConflictDoNothing()
      .returning({ id: operators.id }),
  );
  return inserted.length > 0;
}

async function createDemoTenant(db: Db, password: string, estate: boolean, timeZone: string): Promise<void> {
  const tenant = await createTenant(db, {
    code: DEMO_TENANT,
    name: '演示水电公司',
    adminUsername: 'admin',
    adminPassword: password,
    adminDisplayName: '演示管理员',
  });
  await seedDemoAreas(db, tenant.id);
  if (estate) await seedDemoEstate(db, tenant.id);
  await withTenant(db, tenant.id, async (tx) => {
    await tx
      .insert(pluginSettings)
      .values(demoPlugins.map((pluginId) => ({ tenantId: tenant.id, pluginId, enabled: true })))
      .onConflictDoNothing();
    if (estate) await seedDemoSchedules(tx, tenant.id);
    await seedDemoTariffs(tx);
    if (estate) await seedDemoPrepaid(tx, new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date()));
  });
}

/** Keeps what was created (merged with earlier entries) so the first logins can be looked up. */
async function remember(dataDir: string, created: SeedResult): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = credentialsFile(dataDir);
  const before = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as SeedResult) : {};
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...before, ...created }, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
