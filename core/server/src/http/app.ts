import { AppError } from '@quadmeter/sdk';
import { compress } from 'hono/compress';
import type { Platform } from '../platform.ts';
import { docsRoutes } from './docs.ts';
import { authenticate } from './middleware/authenticate.ts';
import { jsonBody } from './middleware/json-body.ts';
import { rejectMalformedUrl } from './middleware/malformed-url.ts';
import { requestMetrics } from './middleware/metrics.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { onError } from './on-error.ts';
import { paymentHookRoutes } from './payment-hooks.ts';
import { pluginMountRoutes } from './plugin-mounts.ts';
import { router } from './route-kit.ts';
import { accountRoutes } from './routes/accounts.ts';
import { anomalyRoutes } from './routes/anomalies.ts';
import { areaRoutes } from './routes/areas.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { billRunRoutes } from './routes/bill-runs.ts';
import { billingSettingsRoutes } from './routes/billing-settings.ts';
import { billRoutes } from './routes/bills.ts';
import { cashierShiftRoutes } from './routes/cashier-shifts.ts';
import { collectorRoutes } from './routes/collectors.ts';
import { commandBatchRoutes } from './routes/command-batches.ts';
import { commandRoutes } from './routes/commands.ts';
import { concentratorRoutes } from './routes/concentrators.ts';
import { controlSettingsRoutes } from './routes/control-settings.ts';
import { counterRoutes } from './routes/counter.ts';
import { customFieldRoutes } from './routes/custom-fields.ts';
import { customerRoutes } from './routes/customers.ts';
import { documentRoutes } from './routes/documents.ts';
import { fieldRoutes } from './routes/field.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/imports.ts';
import { ledgerEntryRoutes, ledgerRoutes } from './routes/ledger.ts';
import { meterGroupRoutes } from './routes/meter-groups.ts';
import { meterRoutes } from './routes/meters.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { notifyRoutes } from './routes/notify.ts';
import { paymentOrderRoutes } from './routes/payment-orders.ts';
import { paymentReversalRoutes } from './routes/payment-reversals.ts';
import { paymentRoutes } from './routes/payments.ts';
import { pluginRoutes } from './routes/plugins.ts';
import { prepaidRoutes } from './routes/prepaid.ts';
import { readingScheduleRoutes } from './routes/reading-schedules.ts';
import { readingTaskRoutes } from './routes/reading-tasks.ts';
import { reportRoutes } from './routes/reports.ts';
import { permissionRoutes, roleRoutes } from './routes/roles.ts';
import { selfRoutes } from './routes/self.ts';
import { selfAuthRoutes } from './routes/self-auth.ts';
import { selfSettingsRoutes } from './routes/self-settings.ts';
import { statsRoutes } from './routes/stats.ts';
import { tariffPlanRoutes } from './routes/tariff-plans.ts';
import { tariffRoutes } from './routes/tariffs.ts';
import { tenantRoutes } from './routes/tenants.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { topologyRoutes } from './routes/topology.ts';
import { uplinkRoutes } from './routes/uplinks.ts';
import { userRoutes } from './routes/users.ts';
import { isFieldPath, serveAdmin, serveField, serveSelf } from './static-admin.ts';
import { parseTrustProxy } from './trust-proxy.ts';

/** Routes that need an authenticated actor, mounted under /api/v1. */
const protectedResources = {
  '/tenants': tenantRoutes,
  '/users': userRoutes,
  '/roles': roleRoutes,
  '/permissions': () => permissionRoutes(),
  '/areas': areaRoutes,
  '/audit': auditRoutes,
  '/plugins': pluginRoutes,
  '/tokens': tokenRoutes,
  '/meters': meterRoutes,
  '/concentrators': concentratorRoutes,
  '/collectors': collectorRoutes,
  '/topology': topologyRoutes,
  '/meter-groups': meterGroupRoutes,
  '/customers': customerRoutes,
  '/accounts': accountRoutes,
  '/custom-fields': customFieldRoutes,
  '/imports': importRoutes,
  '/reading-tasks': readingTaskRoutes,
  '/reading-schedules': readingScheduleRoutes,
  '/uplinks': uplinkRoutes,
  '/commands': commandRoutes,
  '/command-batches': commandBatchRoutes,
  '/control-settings': controlSettingsRoutes,
  '/self-settings': selfSettingsRoutes,
  '/prepaid': prepaidRoutes,
  '/tariffs': tariffRoutes,
  '/ledger-entries': ledgerEntryRoutes,
  '/ledger': ledgerRoutes,
  '/billing-settings': billingSettingsRoutes,
  '/bills': billRoutes,
  '/bill-runs': billRunRoutes,
  '/tariff-plans': tariffPlanRoutes,
  '/payments': paymentRoutes,
  '/payment-reversals': paymentReversalRoutes,
  '/payment-orders': paymentOrderRoutes,
  '/cashier-shifts': cashierShiftRoutes,
  '/counter': counterRoutes,
  '/notify': notifyRoutes,
  '/documents': documentRoutes,
  '/anomalies': anomalyRoutes,
  '/stats': statsRoutes,
  '/reports': reportRoutes,
  '/field': fieldRoutes,
} as const;

function methodMatcher(routes: { method: string; path: string }[]) {
  const compiled = routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({
      method: r.method,
      re: new RegExp(`^${r.path.replace(/\/:[^/]+/g, '/[^/]+').replace(/\/\*$/, '(/.*)?')}/?$`),
    }));
  return (path: string) => [...new Set(compiled.filter((r) => r.re.test(path)).map((r) => r.method))];
}

export function createApp(p: Platform) {
  const app = router();
  app.onError(onError);
  app.use('*', requestContext(p.logger, parseTrustProxy(p.config.QUADMETER_TRUST_PROXY)));
  app.use('*', requestMetrics());
  app.use('*', ...securityHeaders());
  app.use('*', rejectMalformedUrl());
  app.route('/', healthRoutes(p));
  app.route('/', metricsRoutes(p));
  // the self-service H5 is for phones on slow links: its files go out compressed
  app.use('/my/*', compress());
  app.use('/api/*', ...jsonBody(p.config.QUADMETER_BODY_LIMIT_KB));
  app.route('/api/v1/auth', authRoutes(p));
  // customer self-service: its own session (the customer cookie), never the operator's authenticate
  app.route('/api/v1/self', selfAuthRoutes(p));
  app.route('/api/v1/self', selfRoutes(p));
  for (const [path, make] of Object.entries(protectedResources)) {
    app.use(`/api/v1${path}/*`, authenticate(p)); // also matches the bare path
    app.route(`/api/v1${path}`, make(p));
  }
  const mounted = pluginMountRoutes(p);
  app.route('/api/v1/plugins', mounted.api);
  app.route('/hooks', paymentHookRoutes(p));
  app.route('/hooks', mounted.hooks);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Quadmeter API',
      version: '1',
      description: '四表合一智能抄表及计费管理系统 — platform API',
    },
  });
  app.route('/api/docs', docsRoutes());

  const allowed = methodMatcher(app.routes);
  app.notFound((c) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || path.startsWith('/hooks/')) {
      const methods = allowed(path).filter((m) => m !== c.req.method);
      if (methods.length) {
        c.header('Allow', methods.join(', '));
        return onError(new AppError('REQ_METHOD_NOT_ALLOWED', undefined, { allowed: methods }), c);
      }
      return onError(new AppError('REQ_NOT_FOUND', `No route for ${c.req.method} ${path}`), c);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return onError(new AppError('REQ_METHOD_NOT_ALLOWED'), c);
    if (path === '/my' || path.startsWith('/my/')) return serveSelf(c);
    return isFieldPath(path) ? serveField(c) : serveAdmin(c);
  });
  return app;
}
