import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { createCommand } from '../../services/commands/create.ts';
import { findCommand, listCommands } from '../../services/commands/store.ts';
import { IdParam, inTenant, jsonRoute, router } from '../route-kit.ts';
import { Command, CommandPage, CreateCommand, MeterCommandQuery } from './command-schemas.ts';

const tag = 'control';

function meterVisibleSql(id: string, areaScope: readonly string[] | null | undefined) {
  return sql`select 1 from meters m join areas a on a.id = m.area_id where m.id = ${id}
    ${areaScope ? sql`and a.path && ${uuidArray(areaScope)}` : sql``}`;
}

const notFound = (id: string) => new AppError('RESOURCE_NOT_FOUND', 'No such meter', { id });

/** A meter's commands: send one (远程控制) and its history. Mounted under /meters. */
export function meterCommandRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/commands',
      tag,
      summary:
        'Send a command to a meter (valve, relay, keep-power, alarm, time sync, freeze, prepaid parameters)',
      params: IdParam,
      body: CreateCommand,
      status: 201,
      response: Command,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const out = await inTenant(p, c, 'meters.control', async (tx, { actor, tenantId, meta }) => {
        const made = await createCommand(tx, { actor }, tenantId, id, body, p.jobs);
        const command = await findCommand(tx, actor, made.id);
        if (made.created)
          await recordAudit(tx, tenantId, meta, {
            action: 'meters.command',
            targetType: 'meter',
            targetId: id,
            after: command,
          });
        return { command, created: made.created };
      });
      // a repeated idempotency key answers the command it made, 200
      if (!out.created)
        return c.json(out.command, 200) as unknown as ReturnType<typeof c.json<typeof out.command, 201>>;
      return c.json(out.command, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/commands',
      tag,
      summary: "A meter's command history, newest first",
      params: IdParam,
      query: MeterCommandQuery,
      response: CommandPage,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const page = await inTenant(p, c, 'meters.read', async (tx, { actor }) => {
        const [m] = (await tx.execute(meterVisibleSql(id, actor.areaScope))) as unknown as unknown[];
        if (!m) throw notFound(id);
        return await listCommands(tx, actor, { ...c.req.valid('query'), meterId: id });
      });
      return c.json(page, 200);
    },
  );
  return r;
}
