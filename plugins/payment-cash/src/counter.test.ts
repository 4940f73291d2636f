import { isAppError } from '@quadmeter/sdk';
import { makeTestContext } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';

const ctx = () => makeTestContext({ pluginId: plugin.id, config: {} }).ctx;

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

const order = {
  orderId: 'o-1',
  tenantId: 't',
  amountFen: 12345,
  description: '水费',
  channel: 'counter',
  notifyUrl: '',
};

describe('payment-cash', () => {
  it('a counter order is paid when made, with nothing for the customer to do', async () => {
    expect(await plugin.createOrder(order, ctx())).toEqual({
      orderId: 'o-1',
      status: 'paid',
      action: { type: 'none' },
    });
  });

  it('refuses other channels and amounts that are not positive whole fen', async () => {
    for (const bad of [{ channel: 'native' }, { amountFen: 0 }, { amountFen: -1 }, { amountFen: 1.5 }]) {
      const e = await refusal(plugin.createOrder({ ...order, ...bad }, ctx()));
      expect(isAppError(e) && e.code, JSON.stringify(bad)).toBe('REQ_VALIDATION');
    }
  });

  it('refunds at most the payment, at once', async () => {
    const req = {
      refundId: 'r-1',
      orderId: 'o-1',
      tenantId: 't',
      amountFen: 100,
      totalFen: 100,
      reason: '多收',
    };
    expect(await plugin.refund(req, ctx())).toEqual({ refundId: 'r-1', status: 'succeeded' });
    const e = await refusal(plugin.refund({ ...req, amountFen: 101 }, ctx()));
    expect(isAppError(e) && e.code).toBe('REQ_VALIDATION');
  });

  it('reads a card terminal settlement statement into lines in fen', async () => {
    const content =
      'ref,kind,amountFen,feeFen,ts\nT-000123,sale,3000,18,2026-11-30T08:00:00Z\n\nT-000124,refund,500,0,2026-11-30T09:30:00+08:00\n';
    expect(await plugin.reconcile({ tenantId: 't', date: '2026-11-30', content }, ctx())).toEqual([
      {
        providerTxnId: 'T-000123',
        kind: 'payment',
        amountFen: 3000,
        feeFen: 18,
        ts: '2026-11-30T08:00:00.000Z',
      },
      {
        providerTxnId: 'T-000124',
        kind: 'refund',
        amountFen: 500,
        feeFen: 0,
        ts: '2026-11-30T01:30:00.000Z',
      },
    ]);
  });

  it('refuses a whole statement with one bad line', async () => {
    for (const line of [
      'T-1,sale,30.00,0,2026-11-30T08:00:00Z',
      'T-1,void,3000,0,2026-11-30T08:00:00Z',
      'T-1,sale,3000,0',
      'T-1,sale,3000,0,yesterday',
    ]) {
      const e = await refusal(
        plugin.reconcile(
          { tenantId: 't', date: '2026-11-30', content: `T-0,sale,1,0,2026-11-30T08:00:00Z\n${line}` },
          ctx(),
        ),
      );
      expect(isAppError(e) && e.code, line).toBe('FILE_UNREADABLE');
    }
  });
});
