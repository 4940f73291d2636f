import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { areas, users } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import { seedDemoEstate } from './demo-estate.ts';
import type { AreaKind } from './services/areas/areas.ts';
import { hashPassword } from './services/identity/passwords.ts';
import { createTenant, ensureOperator, findTenantByCode } from './services/tenants/tenants.ts';

export interface DemoCredentials {
  tenant: string;
  username: string;
  password: string;
  operator: { tenant: 'platform'; username: string; password: string };
}

const DEMO_TENANT = 'demo';

/** The demo area tree: a company with two branches, communities, buildings and units. */
const demoTree: [string, AreaKind, [string, AreaKind, [string, AreaKind, string[]][]][]][] = [
  [
    '演示水务集团',
    'company',
    [
      [
        '城东分公司',
        'branch',
        [
          ['阳光花园小区', 'community', ['1号楼', '2号楼']],
          ['理工大学东校区', 'campus', ['学生公寓A栋']],
        ],
      ],
      ['城西分公司', 'branch', [['幸福里小区', 'community', ['3号楼']]]],
    ],
  ],
];

async function seedAreas(db: Db, tenantId: string) {
  await withTenant(db, tenantId, async (tx) => {
    const insert = async (parentPath: string[], name: string, kind: AreaKind, sort: number) => {
      const id = crypto.randomUUID();
      const path = [...parentPath, id];
      await tx
        .insert(areas)
        .values({ tenantId, id, parentId: parentPath.at(-1) ?? null, name, kind, sort, path });
      return path;
    };
    for (const [company, kind, branches] of demoTree) {
      const c = await insert([], company, kind, 0);
      for (const [bi, [branch, bk, sites]] of branches.entries()) {
        const b = await insert(c, branch, bk, bi);
        for (const [si, [site, sk, buildings]] of sites.entries()) {
          const s = await insert(b, site, sk, si);
          for (const [i, building] of buildings.entries()) {
            const bu = await insert(s, building, 'building', i);
            await insert(bu, '1单元', 'unit', 0);
          }
        }
      }
    }
  });
}

async function storedCredentials(file: string): Promise<DemoCredentials | undefined> {
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
}

/**
 * Creates the demo tenant (`demo` / `admin`), its area tree, its archive (demo-estate.ts) and a
 * platform operator on first use.
 * The password comes from QUADMETER_DEMO_PASSWORD or is generated once and kept in the data folder,
 * so every start can print working credentials.
 */
export async function seedDemo(db: Db, config: Config): Promise<DemoCredentials> {
  const file = join(config.QUADMETER_DATA_DIR, 'demo-credentials.json');
  const stored = await storedCredentials(file);
  const password = config.QUADMETER_DEMO_PASSWORD ?? stored?.password ?? randomBytes(9).toString('base64url');
  const operatorPassword = config.QUADMETER_OPERATOR_PASSWORD ?? stored?.operator.password ?? password;
  const creds: DemoCredentials = {
    tenant: DEMO_TENANT,
    username: 'admin',
    password,
    operator: { tenant: 'platform', username: 'operator', password: operatorPassword },
  };
  const existing = await findTenantByCode(db, DEMO_TENANT);
  if (!existing) {
    const tenant = await createTenant(db, {
      code: DEMO_TENANT,
      name: '演示水电公司',
      adminUsername: 'admin',
      adminPassword: password,
      adminDisplayName: '演示管理员',
    });
    await seedAreas(db, tenant.id);
    await seedDemoEstate(db, tenant.id);
  } else if (stored?.password !== password) {
    const passwordHash = await hashPassword(password);
    await withTenant(db, existing.id, (tx) =>
      tx.update(users).set({ passwordHash }).where(eq(users.username, 'admin')),
    );
  }
  if (stored?.operator.password !== operatorPassword || !existing)
    await ensureOperator(db, 'operator', operatorPassword, '平台运维');
  await mkdir(config.QUADMETER_DATA_DIR, { recursive: true });
  await writeFile(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}
