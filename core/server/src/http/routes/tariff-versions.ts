import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  copyVersion,
  createDraft,
  deleteDraft,
  getVersion,
  listVersions,
  publishVersion,
  updateDraft,
  type Version,
  whatIf,
} from '../../services/billing/tariff-store/index.ts';
import { IdParam, jsonRoute, router, z } from '../route-kit.ts';
import { tariffRead, tariffWrite } from './tariff-access.ts';
import {
  DraftCreate,
  DraftPatch,
  TariffVersion,
  VersionParams,
  WhatIfBody,
  WhatIfResult,
} from './tariff-plan-schemas.ts';

const tag = 'billing';
const audit = (v: Version) => ({ targetType: 'tariff-version', targetId: v.id });

/** /tariff-plans/{id}/versions…: drafts, publishing, copies, and the what-if simulation. */
export function tariffVersionRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/versions',
      tag,
      summary: 'The plan’s versions, newest first',
      params: IdParam,
      response: z.object({ items: z.array(TariffVersion) }),
    }),
    async (c) =>
      c.json({ items: await tariffRead(p, c, (tx) => listVersions(tx, c.req.valid('param').id)) }, 200),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/versions/{vid}',
      tag,
      summary: 'One version',
      params: VersionParams,
      response: TariffVersion,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      return c.json(await tariffRead(p, c, (tx) => getVersion(tx, id, vid)), 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/versions',
      tag,
      summary: 'Add a draft version (body: a format-1 tariff with one version)',
      params: IdParam,
      body: DraftCreate,
      response: TariffVersion,
    }),
    async (c) => {
      const v = await tariffWrite(p, c, async (tx, { actor, tenantId, meta }) => {
        const made = await createDraft(tx, c.req.valid('param').id, c.req.valid('json'), actor.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-versions.create',
          ...audit(made),
          after: made,
        });
        return made;
      });
      return c.json(v, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}/versions/{vid}',
      tag,
      summary: 'Change a draft (a published version is RECORD_IMMUTABLE)',
      params: VersionParams,
      body: DraftPatch,
      status: 200,
      response: TariffVersion,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      const v = await tariffWrite(p, c, async (tx, { tenantId, meta }) => {
        const { before, after } = await updateDraft(tx, id, vid, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-versions.update',
          ...audit(after),
          before,
          after,
        });
        return after;
      });
      return c.json(v, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/{id}/versions/{vid}',
      tag,
      summary: 'Delete a draft',
      params: VersionParams,
      status: 204,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      await tariffWrite(p, c, async (tx, { tenantId, meta }) => {
        const gone = await deleteDraft(tx, id, vid);
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-versions.delete',
          ...audit(gone),
          before: gone,
        });
      });
      return c.body(null, 204);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/versions/{vid}/publish',
      tag,
      summary: 'Publish a draft: from then on it never changes',
      params: VersionParams,
      status: 200,
      response: TariffVersion,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      const v = await tariffWrite(p, c, async (tx, { actor, tenantId, meta }) => {
        const done = await publishVersion(tx, id, vid, actor.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-versions.publish',
          ...audit(done),
          after: done,
        });
        return done;
      });
      return c.json(v, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/versions/{vid}/copy',
      tag,
      summary: 'Copy a version into a new draft',
      params: VersionParams,
      response: TariffVersion,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      const v = await tariffWrite(p, c, async (tx, { actor, tenantId, meta }) => {
        const made = await copyVersion(tx, id, vid, actor.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'tariff-versions.copy',
          ...audit(made),
          after: made,
        });
        return made;
      });
      return c.json(v, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/versions/{vid}/what-if',
      tag,
      summary: 'Price accounts’ real usage under this version and under the published one(s)',
      params: VersionParams,
      body: WhatIfBody,
      status: 200,
      response: WhatIfResult,
    }),
    async (c) => {
      const { id, vid } = c.req.valid('param');
      const res = await tariffRead(p, c, (tx, { actor }) => whatIf(tx, actor, id, vid, c.req.valid('json')));
      return c.json(res, 200);
    },
  );
  return r;
}
