import type { Platform } from '../../platform.ts';
import { concentratorDiff, downloadArchive } from '../../services/archives/concentrator-archive.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';

const Status = z.enum(['match', 'missing', 'extra', 'mismatch']);

const Diff = z
  .object({
    readAt: z.string(),
    counts: z.object({ match: z.number(), missing: z.number(), extra: z.number(), mismatch: z.number() }),
    entries: z.array(
      z.object({
        point: z.number(),
        status: Status,
        archive: z
          .object({
            meterId: z.string(),
            assetNo: z.string(),
            address: z.string(),
            port: z.number().nullable(),
            protocol: z.string(),
          })
          .optional(),
        device: z
          .object({ address: z.string(), port: z.number(), protocol: z.string(), collector: z.string() })
          .optional(),
        fields: z.array(z.string()).optional(),
      }),
    ),
  })
  .openapi('ConcentratorArchiveDiff');

const Result = z.object({
  accepted: z.number(),
  rejected: z.array(z.object({ meterId: z.string(), reason: z.string() })),
});

const DownloadBody = z
  .object({
    /** measuring points to push; default every missing and mismatched one */
    points: z.array(z.number().int().min(1).max(2040)).min(1).max(2040).optional(),
    /** also remove the points only the concentrator holds (within `points` when given) */
    removeExtra: z.boolean().optional(),
  })
  .strict();

const DownloadResponse = z
  .object({
    points: z.array(z.number()),
    removed: z.array(z.number()),
    download: Result,
    remove: Result.nullable(),
    diff: Diff,
  })
  .openapi('ConcentratorArchiveDownload');

/**
 * 档案下载: `GET /concentrators/{id}/archive` reads the concentrator's meter table back through
 * its transport and answers the diff against the archive (meters.read); `POST …/archive/download`
 * pushes the chosen points, optionally removes extra ones, and answers the fresh diff
 * (meters.control, audited as `concentrators.archive-download`).
 */
export function concentratorArchiveRoutes(p: Platform) {
  const r = router();
  const tag = 'gateways';
  const deps = { registry: p.registry };
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/archive',
      tag,
      summary: 'Read the concentrator’s meter table back and compare it with the archive (档案比对)',
      params: IdParam,
      response: Diff,
    }),
    async (c) => {
      const { diff } = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        concentratorDiff(tx, deps, actor, c.req.valid('param').id),
      );
      return c.json(diff, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/archive/download',
      tag,
      summary: 'Download archive meters into the concentrator (档案下载), optionally removing extra points',
      params: IdParam,
      body: DownloadBody,
      response: DownloadResponse,
      status: 200,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'meters.control', async (tx, { actor, tenantId, meta }) => {
        const id = c.req.valid('param').id;
        const done = await downloadArchive(tx, deps, actor, id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'concentrators.archive-download',
          targetType: 'concentrator',
          targetId: id,
          areaPath: done.areaPath,
          after: {
            points: done.points,
            removed: done.removed,
            download: done.download,
            remove: done.remove,
            counts: done.diff.counts,
          },
        });
        return done;
      });
      const { areaPath: _, ...body } = out;
      return c.json(body, 200);
    },
  );
  return r;
}
