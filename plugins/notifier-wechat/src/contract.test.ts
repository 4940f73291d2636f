import { describeNotifierContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';
import { notice, openWechat } from './test-support.ts';

describeNotifierContract(plugin, {
  harness: {
    message: notice({ id: 'contract-1' }),
    async open() {
      const { sandbox, ctx, close } = await openWechat();
      return { ctx, deliveries: () => sandbox.deliveries.length, close };
    },
  },
});
