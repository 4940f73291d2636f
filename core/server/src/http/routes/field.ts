import { createRoute } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { meterCard } from '../../services/field/card.ts';
import { enterManualReading, manualPhoto } from '../../services/field/manual.ts';
import { workList } from '../../services/field/work-list.ts';
import { zone } from '../../services/readings/zone.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { ManualBody, ManualEntry, MeterCard, WorkPage, WorkQuery } from './field-schemas.ts';

const tag = 'field';
const KeyParam = z.object({ key: z.uuid().openapi({ param: { name: 'key', in: 'path' } }) });

/**
 * The field staff's app (抄表APP): my work list, a meter's card, manual readings with a photo.
 * Reading now and valve/relay control use the admin's routes (reading-tasks, meters/{id}/commands),
 * so the confirmations, permissions and keep-power rules are the same ones.
 */
export function fieldRoutes(p: Platform) {
  const r = router();
  const tz = p.config.QUADMETER_TIMEZONE;
  const z0 = zone(tz);
  const kinds = () => meterKinds(p.registry);
  const meterType = (kind: string) => {
    const k = kinds();
    return k.ids.has(kind) ? k.plugin(kind) : undefined;
  };
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/meters',
      tag,
      summary: 'My work: meters in my areas, optionally in one state, nearest first when lat/lng are given',
      query: WorkQuery,
      response: WorkPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => workList(tx, actor, c.req.valid('query'), tz)),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/meters/{id}',
      tag,
      summary: 'A meter’s card: state, balance, latest readings with status bits, manual entries',
      params: IdParam,
      response: MeterCard,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          meterCard(tx, actor, c.req.valid('param').id, tz, meterType),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/meters/{id}/manual-readings',
      tag,
      summary:
        'Enter a manual reading with an optional photo; the same key again answers the stored entry (200)',
      params: IdParam,
      body: ManualBody,
      status: 201,
      response: ManualEntry,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const out = await inTenant(p, c, 'readings.manual', async (tx, { actor, tenantId, meta }) => {
        const made = await enterManualReading(tx, actor, tenantId, id, body, { kinds: kinds(), zone: z0 });
        if (made.created)
          await recordAudit(tx, tenantId, meta, {
            action: 'readings.manual',
            targetType: 'meter',
            targetId: id,
            after: {
              ...made.entry,
              photoBytes: body.photo ? Buffer.byteLength(body.photo.data, 'base64') : 0,
            },
          });
        return made;
      });
      if (!out.created)
        return c.json(out.entry, 200) as unknown as ReturnType<typeof c.json<typeof out.entry, 201>>;
      return c.json(out.entry, 201);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      path: '/manual-readings/{key}/photo',
      tags: [tag],
      summary: 'The photo of a manual reading (JPEG, PNG or WebP)',
      request: { params: KeyParam },
      responses: {
        200: {
          description: 'image',
          content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        403: { description: 'Forbidden', content: { 'application/json': { schema: ErrorSchema } } },
        404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const photo = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        manualPhoto(tx, actor, c.req.valid('param').key),
      );
      return c.body(new Uint8Array(photo.bytes), 200, {
        'content-type': photo.type,
        'cache-control': 'private, max-age=86400',
        'x-content-type-options': 'nosniff',
      }) as never;
    },
  );
  return r;
}
