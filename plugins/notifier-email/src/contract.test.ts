import { describeNotifierContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';
import { notice, openEmail } from './test-support.ts';

describeNotifierContract(plugin, {
  harness: {
    message: notice({ id: 'contract-1' }),
    async open() {
      const { sink, ctx, close } = await openEmail();
      return { ctx, deliveries: () => sink.mails.length, close };
    },
  },
});
