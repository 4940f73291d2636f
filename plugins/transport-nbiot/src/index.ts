import { defineTransport, SDK_API_VERSION } from '@quadmeter/sdk';
import { nbiotControl } from './command/control.ts';
import { mountHooks } from './hooks.ts';
import { type NbiotSettings, tenantSettings } from './settings.ts';

/** NB-IoT meters pushed through CTWing, OneNET or Huawei IoTDA (HTTP push). */
export default defineTransport<unknown, NbiotSettings>({
  kind: 'transport',
  id: 'transport-nbiot',
  version: '0.1.0',
  apiVersion: SDK_API_VERSION,
  title: { 'zh-CN': 'NB-IoT 平台推送', en: 'NB-IoT platform push' },
  mode: 'push',
  // 'nbiot': archive meters named by their link; the frame inside is CJ/T 188 or DL/T 645
  protocols: ['cjt188', 'dlt645-2007', 'nbiot'],
  reaches: ['nbiot'],
  tenantSettings,
  routes: mountHooks,
  control: (command, ctx) => nbiotControl(command, ctx),
});
