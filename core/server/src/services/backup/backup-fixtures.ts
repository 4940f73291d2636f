import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { seedDemoAreas } from '../../demo-areas.ts';
import { seedDemoEstate } from '../../demo-estate.ts';
import { seedDemoPrepaid } from '../../demo-prepaid.ts';
import { seedDemoTariffs } from '../../demo-tariffs.ts';
import { fixtureArea, fixtureBill, fixtureIssue, fixturePayment } from '../billing/bills/bill-fixtures.ts';
import { createTenant } from '../tenants/tenants.ts';

/**
 * A demo-like tenant for backup tests and the bench: the demo estate (areas, 1,981 customers,
 * 2,498 meters with routes), tariffs, the prepaid shops with their opening top-ups (ledger,
 * balances, prepaid queue), `readingsPerMeter` hourly readings for the first `readingMeters`
 * meters (registers in jsonb), issued bills with lines, payments allocated against them, a
 * cashier shift and payment, a receipt document, an online payment order and an API token.
 */
export async function seedBackupTenant(
  database: Database,
  code: string,
  o: { readingMeters: number; readingsPerMeter: number },
): Promise<string> {
  const db = database.db;
  const tenant = await createTenant(db, {
    code,
    name: `备份测试 ${code}`,
    adminUsername: 'admin',
    adminPassword: `pw-${code}-backup`,
  });
  await seedDemoAreas(db, tenant.id);
  await seedDemoEstate(db, tenant.id);
  await withTenant(db, tenant.id, async (tx) => {
    await seedDemoTariffs(tx);
    await seedDemoPrepaid(tx, '2026-11-01');
    const area = await fixtureArea(tx, '账单片区');
    for (let i = 0; i < 5; i++) {
      const b = await fixtureBill(tx, area, `${code}-${i}`, [
        { category: 'energy', fen: 1234 + i, quantity: '12.5', price: '0.4883', tier: 1 },
        { category: 'fee', fen: 300 },
      ]);
      await fixtureIssue(tx, b.bill, '2026-11-20');
      await fixturePayment(tx, b.account, 1000 + i * 200);
      const [shift] = await tx.execute<{ id: string }>(sql`insert into cashier_shifts (tenant_id, cashier_id,
        cashier_name) values (app_tenant_id(), gen_random_uuid(), '收银员') returning id::text as id`);
      const [pay] = await tx.execute<{ id: string }>(sql`insert into payments (tenant_id, account_id, method,
        amount_fen, tendered_fen, change_fen, shift_id, idempotency_key, cashier_id, cashier_name)
        values (app_tenant_id(), ${b.account}, 'cash', 500, 1000, 500, ${shift.id}, ${`idem-key-${i}`},
          gen_random_uuid(), '收银员') returning id::text as id`);
      await tx.execute(sql`insert into documents (tenant_id, number, kind, variant, account_id, source_type,
        source_id, data, html) values (app_tenant_id(), ${`R${code}${i}`}, 'receipt', 'a4', ${b.account},
        'payment', ${pay.id}, ${JSON.stringify({ paymentId: pay.id, accountId: b.account, lines: [b.bill] })}::jsonb,
        ${`<p>payment ${pay.id}</p>`})`);
      await tx.execute(sql`insert into payment_orders (tenant_id, order_no, account_id, provider, channel,
        amount_fen, expires_at, provider_txn_id) values (app_tenant_id(), ${`QM${code.replace(/\W/g, '')}${i}x`},
        ${b.account}, 'payment-wechat', 'native', 500, now() + interval '1 hour', ${`wx-${code}-${i}`})`);
    }
    await tx.execute(sql`insert into audit_log (tenant_id, actor_type, actor_id, actor_name, action, target_type,
        target_id, after) select app_tenant_id(), 'user', u.id, 'admin', 'meter.update', 'meter', m.id::text,
        jsonb_build_object('id', m.id, 'areaId', m.area_id)
      from users u, (select id, area_id from meters order by asset_no limit 20) m`);
    await tx.execute(sql`insert into api_tokens (tenant_id, name, prefix, token_hash, user_id, scopes)
      select app_tenant_id(), 'integration', 'qm_test', md5(${code}) || md5(${code} || 'x'), id, '{}'
      from users limit 1`);
    await tx.execute(
      sql`select readings_ensure_partition(d::date) from (values ('2026-10-01'), ('2026-11-01')) v(d)`,
    );
    await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, registers, flags, received_at, idem_key)
      select app_tenant_id(), m.id, 0, timestamptz '2026-11-01 00:00+08' + h * interval '1 hour',
        1000 + h * 0.25, jsonb_build_object('total', 1000 + h * 0.25, 'meter', m.id), '{}', now(),
        m.id::text || ':0:' || h
      from (select id from meters order by asset_no limit ${o.readingMeters}) m,
        generate_series(0, ${o.readingsPerMeter - 1}::int) h`);
  });
  return tenant.id;
}
