import { AppError } from '@quadmeter/sdk';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { getContacts, saveContacts } from '../../services/notify/contacts.ts';
import { listDeliveries } from '../../services/notify/deliveries.ts';
import {
  isNoticeChannel,
  isNoticeEvent,
  type NoticeChannel,
  type NoticeEvent,
  noticeChannels,
  noticeEvents,
  sampleVars,
} from '../../services/notify/events.ts';
import { renderNotice } from '../../services/notify/render.ts';
import { notifySettings, saveNotifySettings } from '../../services/notify/settings.ts';
import {
  defaultTemplate,
  resetTemplate,
  type StoredTemplate,
  saveTemplate,
  templateOverrides,
} from '../../services/notify/templates.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import { addSettingsRoutes } from '../settings-routes.ts';
import {
  CustomerParam,
  DeliveryList,
  DeliveryQuery,
  NotifyContacts,
  NotifyContactsPatch,
  NotifySettingsBody,
  PreviewBody,
  PreviewResult,
  TemplateBody,
  TemplateItem,
  TemplateList,
  TemplateParams,
} from './notify-schemas.ts';

const tag = 'notify';

function pair(params: { event: string; channel: string }): { event: NoticeEvent; channel: NoticeChannel } {
  const { event, channel } = params;
  if (!isNoticeEvent(event) || !isNoticeChannel(channel))
    throw new AppError('NOTIFY_TEMPLATE_UNKNOWN', undefined, { event, channel });
  return { event, channel };
}

function item(event: NoticeEvent, channel: NoticeChannel, override?: StoredTemplate) {
  const d = defaultTemplate(event, channel);
  return {
    event,
    channel,
    source: override ? ('tenant' as const) : ('default' as const),
    subject: override?.subject ?? d.subject,
    body: override?.body ?? d.body,
    defaultSubject: d.subject,
    defaultBody: d.body,
    updatedAt: override?.updatedAt ?? null,
  };
}

/** Notice templates (defaults and tenant overrides, live preview), the delivery log, notify settings. */
export function notifyRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/templates',
      tag,
      summary: 'Every event and channel’s template',
      response: TemplateList,
    }),
    async (c) => {
      const overrides = await inTenant(p, c, 'notify.read', (tx) => templateOverrides(tx));
      const items = noticeEvents.flatMap((e) =>
        noticeChannels.map((ch) =>
          item(
            e,
            ch,
            overrides.find((o) => o.event === e && o.channel === ch),
          ),
        ),
      );
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/templates/{event}/{channel}',
      tag,
      summary: 'One template in force (the tenant’s or the default)',
      params: TemplateParams,
      response: TemplateItem,
    }),
    async (c) => {
      const { event, channel } = pair(c.req.valid('param'));
      const overrides = await inTenant(p, c, 'notify.read', (tx) => templateOverrides(tx));
      return c.json(
        item(
          event,
          channel,
          overrides.find((o) => o.event === event && o.channel === channel),
        ),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/templates/{event}/{channel}',
      tag,
      summary: 'Override a template for this tenant (checked by rendering it with the sample values)',
      params: TemplateParams,
      body: TemplateBody,
      response: TemplateItem,
    }),
    async (c) => {
      const { event, channel } = pair(c.req.valid('param'));
      const body = c.req.valid('json');
      const saved = await inTenant(p, c, 'notify.manage', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        renderNotice(body, channel, sampleVars);
        const before = (await templateOverrides(tx)).find((o) => o.event === event && o.channel === channel);
        await saveTemplate(tx, tenantId, event, channel, body);
        const after = (await templateOverrides(tx)).find((o) => o.event === event && o.channel === channel);
        await recordAudit(tx, tenantId, meta, {
          action: 'notify-templates.update',
          targetType: 'notice-template',
          targetId: `${event}/${channel}`,
          before: before ?? null,
          after,
        });
        return after;
      });
      return c.json(item(event, channel, saved), 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/templates/{event}/{channel}',
      tag,
      summary: 'Drop the tenant’s override (back to the default)',
      params: TemplateParams,
      status: 204,
    }),
    async (c) => {
      const { event, channel } = pair(c.req.valid('param'));
      await inTenant(p, c, 'notify.manage', async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = (await templateOverrides(tx)).find((o) => o.event === event && o.channel === channel);
        if (!(await resetTemplate(tx, event, channel))) return;
        await recordAudit(tx, tenantId, meta, {
          action: 'notify-templates.reset',
          targetType: 'notice-template',
          targetId: `${event}/${channel}`,
          before,
        });
      });
      return c.body(null, 204);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/templates/preview',
      tag,
      summary: 'Render a template with sample values (NOTIFY_TEMPLATE_INVALID when it does not render)',
      body: PreviewBody,
      status: 200,
      response: PreviewResult,
    }),
    async (c) => {
      const b = c.req.valid('json');
      await inTenant(p, c, 'notify.read', async () => undefined);
      return c.json(renderNotice(b, b.channel, { ...sampleVars, ...b.vars }), 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/deliveries',
      tag,
      summary: 'The delivery log: every send attempt, newest first (keyset by `before`)',
      query: DeliveryQuery,
      response: DeliveryList,
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await inTenant(p, c, 'notify.read', (tx, { actor }) => listDeliveries(tx, actor, q));
      return c.json(page as never, 200);
    },
  );
  addSettingsRoutes(r, p, {
    path: '/settings',
    tag,
    what: 'Channels, quiet hours and retries',
    schema: NotifySettingsBody,
    read: 'notify.read',
    write: 'notify.manage',
    audit: 'notify-settings',
    get: notifySettings,
    save: saveNotifySettings,
  });
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/contacts/{customerId}',
      tag,
      summary: 'A customer’s notice contacts and opt-ins (masked without customers.pii)',
      params: CustomerParam,
      response: NotifyContacts,
    }),
    async (c) => {
      const id = c.req.valid('param').customerId;
      return c.json(
        await inTenant(p, c, 'customers.read', (tx, { actor }) => getContacts(tx, actor, id)),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/contacts/{customerId}',
      tag,
      summary: 'Change a customer’s e-mail, WeChat openid and the channels they agreed to',
      params: CustomerParam,
      body: NotifyContactsPatch,
      response: NotifyContacts,
    }),
    async (c) => {
      const id = c.req.valid('param').customerId;
      const body = c.req.valid('json');
      const shown = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const r = await saveContacts(tx, actor, id, body);
        await recordAudit(tx, tenantId, meta, {
          action: 'customers.notify-contacts',
          targetType: 'customer',
          targetId: id,
          areaPath: r.areaPath,
          before: r.before,
          after: r.after,
        });
        return r.shown;
      });
      return c.json(shown, 200);
    },
  );
  return r;
}
