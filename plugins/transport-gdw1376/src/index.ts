import { defineTransport } from '@quadmeter/sdk';
import { configSchema, type Gdw1376Config } from './config.ts';
import {
  control,
  download,
  health,
  read,
  readAddresses,
  readReadingPlan,
  removeAddresses,
  setReadingPlan,
} from './entry.ts';
import { startMaster, stopMaster } from './runtime.ts';

export default defineTransport<Gdw1376Config>({
  kind: 'transport',
  id: 'transport-gdw1376',
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': 'Q/GDW 1376.1 集中器主站', en: 'Q/GDW 1376.1 concentrator master station' },
  protocols: ['gdw1376'],
  mode: 'poll',
  config: configSchema,
  start: startMaster,
  stop: stopMaster,
  health,
  read,
  control,
  downloadAddresses: download,
  readAddresses,
  removeAddresses,
  setReadingPlan,
  readReadingPlan,
});
