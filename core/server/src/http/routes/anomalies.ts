import type { Platform } from '../../platform.ts';
import { veeRules } from '../../services/analysis/vee/catalogue.ts';
import {
  assignFinding,
  closeFinding,
  findingDetail,
  listFindings,
  noteFinding,
} from '../../services/analysis/vee/findings.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import {
  AssignBody,
  CloseBody,
  Finding,
  FindingDetail,
  FindingPage,
  FindingQuery,
  NoteBody,
  RuleInfo,
} from './anomaly-schemas.ts';

const tag = 'analysis';

/** The exception queue (异常诊断): findings of the VEE rules, their evidence, assignment and closing. */
export function anomalyRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Anomaly findings, latest first (meters in your areas)',
      query: FindingQuery,
      response: FindingPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'analysis.read', (tx, { actor }) =>
          listFindings(tx, actor, c.req.valid('query')),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/rules',
      tag,
      summary: 'The built-in rule catalogue with its default thresholds',
      response: z.array(RuleInfo),
    }),
    async (c) => {
      const rules = await inTenant(p, c, 'analysis.read', async () =>
        veeRules.map((x) => ({
          id: x.id,
          severity: x.severity,
          media: x.media ? [...x.media] : null,
          defaults: x.defaults,
        })),
      );
      return c.json(rules, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'A finding with its evidence readings and history',
      params: IdParam,
      response: FindingDetail,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(
        await inTenant(p, c, 'analysis.read', (tx, { actor }) => findingDetail(tx, actor, id)),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/assign',
      tag,
      summary: 'Assign a finding to a user',
      params: IdParam,
      body: AssignBody,
      status: 200,
      response: Finding,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'analysis.manage', async (tx, { actor, tenantId, meta }) => {
        const f = await assignFinding(tx, actor, id, b.userId, b.note);
        await recordAudit(tx, tenantId, meta, {
          action: 'anomalies.assign',
          targetType: 'meter',
          targetId: f.meterId,
          after: f,
        });
        return f;
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/notes',
      tag,
      summary: 'Add a note to a finding',
      params: IdParam,
      body: NoteBody,
      status: 200,
      response: Finding,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'analysis.manage', (tx, { actor }) =>
        noteFinding(tx, actor, id, b.note),
      );
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/close',
      tag,
      summary: 'Resolve (fixed) or dismiss (not a problem) a finding',
      params: IdParam,
      body: CloseBody,
      status: 200,
      response: Finding,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await inTenant(p, c, 'analysis.manage', async (tx, { actor, tenantId, meta }) => {
        const f = await closeFinding(tx, actor, id, b.outcome, b.note);
        await recordAudit(tx, tenantId, meta, {
          action: `anomalies.${b.outcome}`,
          targetType: 'meter',
          targetId: f.meterId,
          after: f,
        });
        return f;
      });
      return c.json(out, 200);
    },
  );
  return r;
}
