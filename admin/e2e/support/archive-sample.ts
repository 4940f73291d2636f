import { expect } from 'vitest';
import type { Client } from '../../../core/server/test/client.ts';

/** A customer with an account, one meter in stock and one installed on the account. */
export interface ArchiveSample {
  customerId: string;
  accountId: string;
  stockMeterId: string;
  installedMeterId: string;
}

/**
 * Builds the sample through the API as the demo admin, so tours have rows to show. Numbers are digits
 * only: they show in selects, where the language check reads them as interface text.
 */
export async function seedArchiveSample(admin: Client): Promise<ArchiveSample> {
  const ok = (r: { status: number; body: { id?: string } }, status = 201) => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body.id as string;
  };
  const areas: { id: string; name: string }[] = (await admin.get('/api/v1/areas')).body.items;
  const areaId = areas.find((a) => a.name === '1号楼')!.id;
  const customerId = ok(
    await admin.post('/api/v1/customers', {
      number: '100001',
      name: '李四',
      areaId,
      phone: '13900139000',
      facts: [{ kind: 'household_size', effectiveFrom: '2026-01-01', value: 3 }],
    }),
  );
  const accountId = ok(await admin.post('/api/v1/accounts', { customerId, number: '200001', depositFen: '5000' }));
  const meter = (assetNo: string, commAddress: string) => ({
    kind: 'meter-water',
    assetNo,
    commAddress,
    protocol: 'cjt188',
    areaId,
    route: { via: 'serial', line: 'tcp://127.0.0.1:4001', baud: 2400, parity: 'E' },
  });
  const stockMeterId = ok(await admin.post('/api/v1/meters', meter('300001', '20260000000001')));
  const installedMeterId = ok(await admin.post('/api/v1/meters', { ...meter('300002', '20260000000002'), accountId }));
  ok(await admin.post(`/api/v1/meters/${installedMeterId}/install`, { initialReading: '1', reason: '新装' }), 200);
  return { customerId, accountId, stockMeterId, installedMeterId };
}
