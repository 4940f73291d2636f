import { defineTransport } from '@quadmeter/sdk';
import { configSchema, type MbusConfig } from './config.ts';
import { closeLines } from './pool.ts';
import { control, read } from './transport.ts';

export default defineTransport<MbusConfig>({
  kind: 'transport',
  id: 'transport-mbus',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': 'M-Bus 抄表(EN 13757-3)', en: 'M-Bus meters (EN 13757-3)' },
  config: configSchema,
  protocols: ['mbus'],
  mode: 'poll',
  read,
  control,
  stop: closeLines,
});
