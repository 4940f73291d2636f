import { describeTransportContract, makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { configOf, type Rs485Config } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { pastClock, power, water } from './sim-meters.ts';
import { ptyLine, ptyPaths } from './test-lines.ts';

// one pty path for the suite: the request names the line before the harness opens it
const paths = ptyPaths();
const key = `tty:${paths.master}`;
const line = { id: 'contract', params: { key, baudRate: 9600, latencyMs: 80 } };

describeTransportContract(plugin, {
  config: configOf({}),
  harness: {
    async open() {
      const clock = pastClock();
      const sim = await ptyLine(
        [power(clock, '000000001001'), water(clock, '00000000001002')],
        { baud: 9600 },
        paths,
      );
      clock.catchUp();
      const { ctx } = makeTestContext<Rs485Config>({ pluginId: plugin.id, config: configOf({}) });
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
        { meterId: 'power', ref: { protocol: 'dlt645-2007', address: '000000001001' } },
        { meterId: 'water', ref: { protocol: 'cjt188', address: '00000000001002' } },
        { meterId: 'absent', ref: { protocol: 'dlt645-2007', address: '000000001099' } },
      ],
    },
    command: {
      id: 'cmd-1',
      tenantId: TEST_TENANT_ID,
      meterId: 'water',
      ref: { protocol: 'cjt188', address: '00000000001002' },
      line,
      action: 'valve-close',
    },
  },
});
