import { createTransport, type Transporter } from 'nodemailer';
import type { EmailSettings } from './settings.ts';

export const CONNECTION_TIMEOUT_MS = 10_000;
export const SOCKET_TIMEOUT_MS = 30_000;

/** nodemailer's SMTP options for a tenant's settings. */
export function smtpOptions(s: EmailSettings) {
  return {
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    ...(s.user !== '' && { auth: { user: s.user, pass: s.password } }),
    tls: { rejectUnauthorized: !s.allowSelfSigned },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** One transporter per distinct tenant configuration, closed when the plugin stops. */
export class Transports {
  private readonly byKey = new Map<string, Transporter>();

  get(s: EmailSettings): Transporter {
    const key = JSON.stringify(smtpOptions(s));
    let t = this.byKey.get(key);
    if (!t) {
      t = createTransport(smtpOptions(s));
      this.byKey.set(key, t);
    }
    return t;
  }

  closeAll(): void {
    for (const t of this.byKey.values()) t.close();
    this.byKey.clear();
  }
}
