import { defineTransport } from '@quadmeter/sdk';
import { configSchema, type Rs485Config } from './config.ts';
import { closeLines } from './pool.ts';
import { PROTOCOLS } from './read.ts';
import { control, read } from './transport.ts';

export default defineTransport<Rs485Config>({
  kind: 'transport',
  id: 'transport-rs485',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': 'RS-485 抄表(DL/T 645、CJ/T 188)', en: 'RS-485 meters (DL/T 645, CJ/T 188)' },
  config: configSchema,
  protocols: PROTOCOLS,
  mode: 'poll',
  read,
  control,
  stop: closeLines,
});
