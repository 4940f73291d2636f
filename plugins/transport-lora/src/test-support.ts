import { readFileSync } from 'node:fs';

export const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/chirpstack-up.json', import.meta.url), 'utf8'),
) as {
  topic: string;
  payload: Record<string, unknown> & { deviceInfo: Record<string, unknown> };
};

export const APP = 'b8c2a6e1-3f1d-4a4e-9d2c-5f0e7a1b2c3d';

export const settingsFor = (over: Record<string, unknown> = {}) => ({
  brokerUrl: 'mqtt://127.0.0.1:1',
  applicationId: APP,
  username: '',
  password: '',
  topicPrefix: '',
  ...over,
});

export const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
