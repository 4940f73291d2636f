import { describeNotifierContract, makeTestContext } from '@quadmeter/sdk/testing';
import { startSmsSandbox } from '../sandbox/gateway.ts';
import plugin from './index.ts';

const account = { appKey: 'qm-app', appSecret: 'sandbox-secret-1' };

describeNotifierContract(plugin, {
  harness: {
    message: { id: 'contract-1:sms', tenantId: 't', to: '13800138000', body: '您的账户余额不足' },
    open: async () => {
      const sandbox = await startSmsSandbox(account);
      const { ctx } = makeTestContext({
        pluginId: plugin.id,
        config: plugin.config?.parse({ ...account, endpoint: sandbox.url, signName: '示范水务' }) ?? {},
      });
      return { ctx, deliveries: () => sandbox.deliveries(), close: () => sandbox.close() };
    },
  },
});
