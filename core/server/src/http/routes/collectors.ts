import { collectorInterfaces } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import {
  collectorDto,
  createCollector,
  findCollector,
  listCollectors,
  updateCollector,
} from '../../services/archives/gateways.ts';
import { text, z } from '../route-kit.ts';
import { gatewayRoutes } from './gateway-crud.ts';
import { CustomBody } from './meter-schemas.ts';

const Collector = z
  .object({
    id: z.string(),
    number: z.string(),
    interface: z.enum(collectorInterfaces),
    address: z.string(),
    concentratorId: z.string().nullable(),
    areaId: z.string(),
    areaPath: z.array(z.string()),
    status: z.string(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('Collector');

export function collectorRoutes(p: Platform) {
  return gatewayRoutes(p, {
    noun: 'collector',
    plural: 'collectors',
    zh: '采集器',
    fields: {
      number: text(1, 64),
      interface: z.enum(collectorInterfaces),
      address: text(1, 16),
      concentratorId: z.uuid().nullable().optional(),
      areaId: z.uuid(),
      status: z.enum(['active', 'removed']).optional(),
      custom: CustomBody.optional(),
    },
    schema: Collector,
    query: z.object({ concentratorId: z.uuid().optional() }),
    updateSummary: 'Change a collector',
    list: (tx, actor, q) => listCollectors(tx, actor, q.concentratorId),
    get: async (tx, actor, id) => {
      const { c, path } = await findCollector(tx, actor, id);
      return collectorDto(c, path);
    },
    create: createCollector,
    update: updateCollector,
  });
}
