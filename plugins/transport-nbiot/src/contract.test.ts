import { describeTransportContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';
import { call, fixture, settings } from './test-support.ts';

describeTransportContract(plugin, {
  push: {
    tenantSettings: settings,
    async deliver(ctx, variant) {
      const body = JSON.parse(fixture('onenet-uplink.json'));
      if (variant === 'forged') body.nonce = 'forged00';
      await call(ctx, { platform: 'onenet', body: JSON.stringify(body) });
    },
  },
});
