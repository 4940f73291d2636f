import { meterProtocols, meterStatuses } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { consumptionBetween } from '../../services/archives/consumption.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import { listMeters } from '../../services/archives/meter-list.ts';
import { createMeter, getMeter, updateMeter } from '../../services/archives/meters.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { meterExportStream } from '../../services/imports/meter-export.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, text, z } from '../route-kit.ts';
import { meterCommandRoutes } from './meter-commands.ts';
import { registerMeterKinds } from './meter-kinds.ts';
import { meterLifecycleRoutes } from './meter-lifecycle.ts';
import { meterLinkRoutes } from './meter-links.ts';
import { meterReadingRoutes } from './meter-readings.ts';
import { ListQuery, Meter, MeterCreate, MeterPage, meterFields, Reading } from './meter-schemas.ts';
import { registerXlsxExport } from './xlsx-export.ts';

const tag = 'meters';
const _ChildParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  childId: z.uuid().openapi({ param: { name: 'childId', in: 'path' } }),
});
const { areaId: _a, ...optional } = meterFields;
const MeterPatch = patchBody(
  z
    .object({
      ...optional,
      kind: meterFields.kind.optional(),
      assetNo: meterFields.assetNo.optional(),
      commAddress: meterFields.commAddress.optional(),
      protocol: meterFields.protocol.optional(),
      areaId: z.uuid().optional(),
    })
    .strict(),
);

const MeterFilterQuery = z.object({
  areaId: z.uuid().optional(),
  kind: text(1, 64).optional(),
  protocol: z.enum(meterProtocols).optional(),
  status: z.enum(meterStatuses).optional(),
  accountId: z.uuid().optional(),
  concentratorId: z.uuid().optional(),
  q: text(1, 64).optional(),
});

export function meterRoutes(p: Platform) {
  const r = router();
  const kinds = () => meterKinds(p.registry);
  // before '/{id}', so 'kinds' and 'export.xlsx' are not taken for ids
  registerMeterKinds(r, p);
  registerXlsxExport(r, {
    tag,
    summary: 'The filtered meters as xlsx in the import sheet’s columns (plus status), streamed',
    permission: 'meters.read',
    fileName: 'meters.xlsx',
    filter: MeterFilterQuery,
    stream: (actor, tenantId, filter, lang) => meterExportStream(p, actor, tenantId, filter, lang),
  });
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Meters within your scope (keyset pages by asset number)',
      query: ListQuery.extend(MeterFilterQuery.shape),
      response: MeterPage,
    }),
    async (c) => {
      const { after, limit, order, ...filter } = c.req.valid('query');
      const page = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        listMeters(tx, actor, filter, { after, limit, order }),
      );
      return c.json(page, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a meter (in stock)',
      body: MeterCreate,
      response: Meter,
    }),
    async (c) => {
      const m = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const row = await createMeter(tx, actor, tenantId, kinds(), c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.create',
          targetType: 'meter',
          targetId: row.id,
          areaPath: row.areaPath,
          after: row,
        });
        return row;
      });
      return c.json(m, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/consumption',
      tag,
      summary: 'Consumption between two readings, across replacements and rollovers',
      status: 200,
      body: z
        .object({
          from: z.object({ meterId: z.uuid(), reading: Reading }).strict(),
          to: z.object({ meterId: z.uuid(), reading: Reading }).strict(),
        })
        .strict(),
      response: z.object({
        register: z.string(),
        unit: z.string(),
        total: z.string(),
        legs: z.array(
          z.object({
            meterId: z.string(),
            from: z.string(),
            to: z.string(),
            usage: z.string(),
            rolledOver: z.boolean(),
          }),
        ),
      }),
    }),
    async (c) => {
      const { from, to } = c.req.valid('json');
      return c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          consumptionBetween(tx, actor, kinds(), from, to),
        ),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One meter with its route',
      params: IdParam,
      response: Meter,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => getMeter(tx, actor, c.req.valid('param').id)),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Change a meter (status and account change through lifecycle actions)',
      params: IdParam,
      body: MeterPatch,
      response: Meter,
    }),
    async (c) => {
      const m = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateMeter(
          tx,
          actor,
          kinds(),
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.update',
          targetType: 'meter',
          targetId: after.id,
          areaPath: after.areaPath,
          before,
          after,
        });
        return after;
      });
      return c.json(m, 200);
    },
  );
  meterLinkRoutes(p, r);
  meterLifecycleRoutes(p, r);
  r.route('/', meterReadingRoutes(p));
  r.route('/', meterCommandRoutes(p));
  return r;
}
