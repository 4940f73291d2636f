import { describeTransportContract, makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { dltAddress, fieldFor, LINE_A } from './engine-fixtures.ts';
import { testTransport } from './test-transport.ts';

// the engine's tests drive this transport: it must keep the contract the real ones keep
const field = fieldFor([LINE_A], 3);
describeTransportContract(testTransport(field), {
  harness: {
    async open() {
      const t = makeTestContext({ pluginId: 'transport-test', config: {} });
      return { ctx: t.ctx, close: async () => t.abort() };
    },
    request: {
      tenantId: TEST_TENANT_ID,
      line: { id: LINE_A, params: { key: LINE_A } },
      meters: [0, 1, 2].map((i) => ({
        meterId: `m${i}`,
        ref: { protocol: 'dlt645-2007', address: dltAddress(i) },
      })),
    },
    command: {
      id: 'c1',
      tenantId: TEST_TENANT_ID,
      meterId: 'm0',
      ref: { protocol: 'dlt645-2007', address: dltAddress(0) },
      action: 'relay-trip',
    },
  },
});
