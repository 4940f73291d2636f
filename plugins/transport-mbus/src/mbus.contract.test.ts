import { describeTransportContract, makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { configOf, type MbusConfig } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { meter, pastClock, ptyLine, ptyPaths } from './test-lines.ts';

// one pty path for the suite: the request names the line before the harness opens it
const paths = ptyPaths();
const line = { id: 'contract', params: { key: `tty:${paths.master}`, baudRate: 9600, latencyMs: 60 } };

describeTransportContract(plugin, {
  config: configOf({}),
  harness: {
    async open() {
      const clock = pastClock();
      const sim = await ptyLine([meter(clock, 1, '44000001'), meter(clock, 2, '44000002')], paths);
      clock.catchUp();
      const { ctx } = makeTestContext<MbusConfig>({ pluginId: plugin.id, config: configOf({}) });
      return {
        ctx,
        close: async () => {
          await closeLines();
          await sim.close();
        },
      };
    },
    request: {
      tenantId: TEST_TENANT_ID,
      line,
      meters: [
        { meterId: 'primary', ref: { protocol: 'mbus', address: '1' } },
        { meterId: 'secondary', ref: { protocol: 'mbus', address: '44000002' } },
        { meterId: 'absent', ref: { protocol: 'mbus', address: '77' } },
      ],
    },
    command: {
      id: 'cmd-1',
      tenantId: TEST_TENANT_ID,
      meterId: 'primary',
      ref: { protocol: 'mbus', address: '1' },
      line,
      action: 'valve-close',
    },
  },
});
