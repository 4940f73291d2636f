import { describeTransportContract, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import type { ConcentratorSim } from '@quadmeter/simulators';
import plugin from './index.ts';
import { A1, meters, type Started, simAddress, startMaster, startSim, waitUntil } from './test-support.ts';

const A2 = 51;
const gateway = { id: 'gw-51', protocol: 'gdw1376', address: `${A1}-${A2}` };

/** The SDK's transport suite against the master station with a simulated concentrator on TCP. */
describeTransportContract(plugin, {
  config: { host: '127.0.0.1', port: 0 },
  harness: {
    async open() {
      const m: Started = await startMaster();
      const sim: ConcentratorSim = startSim(m.port, A2, { meters: 3, missing: [2] });
      await waitUntil(() => sim.state === 'logged-in');
      return {
        ctx: m.ctx,
        close: async () => {
          await sim.stop();
          await m.stop();
        },
      };
    },
    request: {
      tenantId: TEST_TENANT_ID,
      line: { id: 'gw-51', params: {}, gateway },
      meters: [
        ...meters(A2, [1, 2, 3]),
        ...meters(A2, [9]).map((m) => ({ ...m, meterId: 'not-in-terminal' })),
      ],
    },
    command: {
      id: 'cmd-1',
      tenantId: TEST_TENANT_ID,
      meterId: 'm1',
      ref: { protocol: 'dlt645-2007', address: simAddress(A2, 1) },
      line: { id: 'gw-51', params: {}, gateway },
      action: 'relay-trip',
    },
  },
});
