import { keepSecrets, mapSecrets, redact } from '@quadmeter/sdk';
import type { Registry } from '../../registry/index.ts';
import type { SecretBox } from '../../secrets/secret-box.ts';

export type Settings = Record<string, unknown>;

/**
 * How tenant plugin settings cross the boundaries: secret fields (marked with `secret()`) are
 * encrypted at rest, '[redacted]' towards clients and the audit log, and plaintext only for the
 * plugin itself (`ctx.core.tenantSettings`).
 */
export function settingsCodec(registry: Registry, box: SecretBox) {
  const schemaOf = (id: string) => registry.get(id)?.tenantSettings;
  return {
    /** stored → what the plugin sees (secrets decrypted), not yet validated */
    open: (id: string, stored: unknown): Settings =>
      (mapSecrets(schemaOf(id), stored ?? {}, (v) => box.open(v)) ?? {}) as Settings,
    /** validated plaintext → what is stored (secrets encrypted) */
    seal: (id: string, value: Settings): Settings =>
      mapSecrets(schemaOf(id), value, (v) => box.seal(v)) as Settings,
    /** stored or plaintext → what a client or the audit log may see */
    redact: (id: string, value: unknown): Settings => (redact(schemaOf(id), value ?? {}) ?? {}) as Settings,
    /** a submission merged with the stored plaintext: untouched secret fields keep their value */
    keep: (id: string, submitted: Settings, storedPlain: Settings): Settings =>
      (keepSecrets(schemaOf(id), submitted, storedPlain) ?? {}) as Settings,
  };
}

export type SettingsCodec = ReturnType<typeof settingsCodec>;
