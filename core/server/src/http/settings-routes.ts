import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Tx } from '../db/client.ts';
import type { Platform } from '../platform.ts';
import { recordAudit } from '../services/audit/record.ts';
import { requireWholeTenant } from '../services/identity/actor.ts';
import type { AppEnv } from './env.ts';
import { inTenant, jsonRoute } from './route-kit.ts';

export interface SettingsDef<S extends z.ZodType> {
  /** where the pair is mounted in the router (`/` or `/settings`) */
  path: string;
  tag: string;
  /** what they are, for the summaries: "The billing settings" */
  what: string;
  schema: S;
  read: string;
  write: string;
  /** audit target type; the action is `<audit>.update` */
  audit: string;
  get: (tx: Tx) => Promise<z.output<S>>;
  save: (tx: Tx, tenantId: string, body: z.output<S>) => Promise<z.output<S>>;
}

/**
 * A tenant's settings as a GET/PUT pair: reading needs `read`; changing needs `write` and a
 * tenant-wide user (AUTH_SCOPE_TENANT_WIDE for an area-scoped one), and is audited with the
 * settings before and after.
 */
export function addSettingsRoutes<S extends z.ZodType>(
  r: OpenAPIHono<AppEnv>,
  p: Platform,
  d: SettingsDef<S>,
): void {
  const { path, tag, schema } = d;
  r.openapi(jsonRoute({ method: 'get', path, tag, summary: d.what, response: schema }), async (c) =>
    c.json((await inTenant(p, c, d.read, (tx) => d.get(tx))) as never, 200),
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path,
      tag,
      summary: `Change ${d.what[0]?.toLowerCase()}${d.what.slice(1)} (tenant-wide users holding ${d.write})`,
      body: schema,
      status: 200,
      response: schema,
    }),
    async (c) => {
      const saved = await inTenant(p, c, d.write, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await d.get(tx);
        // the schema is generic here: the validated body is read back untyped, then typed by S
        const req = c.req as unknown as { valid(target: 'json'): z.output<S> };
        const body = req.valid('json');
        const after = await d.save(tx, tenantId, body);
        await recordAudit(tx, tenantId, meta, {
          action: `${d.audit}.update`,
          targetType: d.audit,
          targetId: tenantId,
          before,
          after,
        });
        return after;
      });
      return c.json(saved as never, 200);
    },
  );
}
