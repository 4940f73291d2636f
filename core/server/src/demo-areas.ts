import type { Db } from './db/client.ts';
import { areas } from './db/schema/index.ts';
import { withTenant } from './db/tenant.ts';
import type { AreaKind } from './services/areas/areas.ts';

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

export async function seedDemoAreas(db: Db, tenantId: string) {
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
