import type { Platform } from '../../platform.ts';
import {
  concentratorDto,
  createConcentrator,
  findConcentrator,
  listConcentrators,
  updateConcentrator,
} from '../../services/archives/gateways.ts';
import { int32, text, z } from '../route-kit.ts';
import { concentratorArchiveRoutes } from './concentrator-archive.ts';
import { concentratorReadingPlanRoutes } from './concentrator-reading-plan.ts';
import { gatewayRoutes } from './gateway-crud.ts';
import { CustomBody } from './meter-schemas.ts';

const Concentrator = z
  .object({
    id: z.string(),
    number: z.string(),
    name: z.string(),
    a1: z.string(),
    a2: z.number(),
    protocol: z.string(),
    sim: z.string().nullable(),
    iccid: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    status: z.string(),
    online: z.boolean(),
    lastHeartbeatAt: z.string().nullable(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('Concentrator');

export function concentratorRoutes(p: Platform) {
  const crud = gatewayRoutes(p, {
    noun: 'concentrator',
    plural: 'concentrators',
    zh: '集中器',
    fields: {
      number: text(1, 64),
      name: text(0, 100).optional(),
      /** region code A1, 4 hex digits */
      a1: text(4, 4),
      /** terminal address A2 */
      a2: int32(1, 65535),
      sim: text(0, 20).regex(/^\d*$/, 'digits').nullable().optional(),
      iccid: text(0, 22)
        .regex(/^[0-9A-Fa-f]*$/, 'digits')
        .nullable()
        .optional(),
      areaId: z.uuid(),
      status: z.enum(['active', 'removed']).optional(),
      custom: CustomBody.optional(),
    },
    schema: Concentrator,
    query: z.object({}),
    updateSummary: 'Change a concentrator (online state and heartbeat are the reading engine’s)',
    list: (tx, actor) => listConcentrators(tx, actor),
    get: async (tx, actor, id) => {
      const { c, path } = await findConcentrator(tx, actor, id);
      return concentratorDto(c, path);
    },
    create: createConcentrator,
    update: updateConcentrator,
  });
  crud.route('/', concentratorArchiveRoutes(p));
  crud.route('/', concentratorReadingPlanRoutes(p));
  return crud;
}
