import type { Platform } from '../../platform.ts';
import { balanceStats } from '../../services/analysis/stats/balance.ts';
import { billingStats } from '../../services/analysis/stats/billing.ts';
import { consumptionStats } from '../../services/analysis/stats/consumption.ts';
import { overview } from '../../services/analysis/stats/overview.ts';
import { readingStats } from '../../services/analysis/stats/reading.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { inTenant, jsonRoute, router } from '../route-kit.ts';
import {
  BalanceResponse,
  BillingResponse,
  ConsumptionQuery,
  ConsumptionResponse,
  MonthQuery,
  OverviewResponse,
  ReadingQuery,
  ReadingResponse,
} from './stats-schemas.ts';

const PERM = 'reports.read';

/** Statistics for the dashboard and the statistics pages, all answered from rollups (decision 0040). */
export function statsRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/overview',
      tag: 'stats',
      summary: "The operator's dashboard tiles for today, within your areas",
      response: OverviewResponse,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, PERM, (tx, { actor }) =>
          overview(tx, actor, todayIn(p.config.QUADMETER_TIMEZONE)),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/consumption',
      tag: 'stats',
      summary: 'Consumption per day, month or year by area, meter kind or customer type, with MoM and YoY',
      query: ConsumptionQuery,
      response: ConsumptionResponse,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, PERM, (tx, { actor }) => consumptionStats(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/reading',
      tag: 'stats',
      summary: 'Reading success per area, concentrator, line or day, and the meter online rate',
      query: ReadingQuery,
      response: ReadingResponse,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, PERM, (tx, { actor }) => readingStats(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/balance',
      tag: 'stats',
      summary: 'Master/sub-meter balance and loss rate per master meter and area, with a 12-month trend',
      query: MonthQuery,
      response: BalanceResponse,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, PERM, (tx, { actor }) => balanceStats(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/billing',
      tag: 'stats',
      summary: 'Collection rate of a month’s bills, arrears with their ageing, prepaid accounts per state',
      query: MonthQuery,
      response: BillingResponse,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, PERM, (tx, { actor }) => billingStats(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  return r;
}
