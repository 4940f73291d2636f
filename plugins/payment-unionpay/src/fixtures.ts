import { generateKeyPairSync } from 'node:crypto';
import type { PluginRequest } from '@quadmeter/sdk';
import { type SandboxNotification, startUnionpaySandbox, type UnionpaySandbox } from '../sandbox/server.ts';
import { configSchema, type UnionpayConfig } from './config.ts';

export const MER_ID = '777290058110048';
export const CERT_ID = '69629715588';

/** A merchant key pair, a sandbox that trusts it, and the plugin config pointing at the sandbox. */
export async function sandboxMerchant(): Promise<{
  sb: UnionpaySandbox;
  config: UnionpayConfig;
  raw: object;
}> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sb = await startUnionpaySandbox({
    merId: MER_ID,
    certId: CERT_ID,
    merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    feeFen: 12,
  });
  const raw = {
    endpoint: sb.url,
    merId: MER_ID,
    certId: CERT_ID,
    merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    rootCert: sb.rootCert,
    middleCert: sb.middleCert,
  };
  return { sb, config: configSchema.parse(raw), raw };
}

/** A sandbox notification as the core's hook hands it to the plugin. */
export const asRequest = (n: SandboxNotification): PluginRequest => ({
  method: 'POST',
  path: '/notify',
  params: {},
  query: {},
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  body: new TextEncoder().encode(n.body),
});
