import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { cancelCommand, findCommand, listCommands } from '../../services/commands/store.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import { Command, CommandListQuery, CommandPage } from './command-schemas.ts';

const tag = 'control';

/** The tenant's command history (commands of meters in your areas) and cancelling a queued one. */
export function commandRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Command history, newest first (meters in your areas)',
      query: CommandListQuery,
      response: CommandPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => listCommands(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'A command',
      params: IdParam,
      response: Command,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inTenant(p, c, 'meters.read', (tx, { actor }) => findCommand(tx, actor, id)), 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/cancel',
      tag,
      summary: 'Cancel a queued command (one already sent cannot be called back)',
      params: IdParam,
      body: z.object({}).strict(),
      status: 200,
      response: Command,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const after = await inTenant(p, c, 'meters.control', async (tx, { actor, tenantId, meta }) => {
        const cmd = await cancelCommand(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'commands.cancel',
          targetType: 'meter',
          targetId: cmd.meterId,
          after: cmd,
        });
        return cmd;
      });
      return c.json(after, 200);
    },
  );
  return r;
}
