import { describeTransportContract } from '@quadmeter/sdk/testing';
import plugin from './index.ts';
import { tenantSettings } from './settings.ts';
import { LoraSubscriptions } from './subscriptions.ts';
import { bytes, fixture, settingsFor } from './test-support.ts';

const settings = settingsFor();

describeTransportContract(plugin, {
  push: {
    tenantSettings: { ...settings, brokerUrl: '' },
    async deliver(ctx, variant) {
      // the broker connection is tested in mqtt.test.ts; here the message path alone
      const subs = new LoraSubscriptions(ctx as never);
      const s = tenantSettings.parse(settings);
      const [tenantId] = await ctx.core.enabledTenants();
      const body =
        variant === 'forged'
          ? { ...fixture.payload, deviceInfo: { ...fixture.payload.deviceInfo, applicationId: 'other-app' } }
          : fixture.payload;
      await subs.onUplink(tenantId, s, fixture.topic, bytes(body));
    },
  },
});
