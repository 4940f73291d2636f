import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export type SinkStage = 'connect' | 'auth' | 'mail' | 'rcpt' | 'data';

export interface SinkMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SinkOptions {
  /** accepted credentials; when absent AUTH is not offered */
  auth?: { user: string; pass: string };
  /** offer STARTTLS (smtp-server's built-in self-signed certificate) and require it before AUTH */
  starttls?: boolean;
  /** implicit TLS on connect (smtp-server's built-in self-signed certificate) */
  secure?: boolean;
}

/**
 * A local SMTP server on loopback (npm smtp-server) that keeps every accepted message and can be
 * told to answer the next commands of a stage with a given reply code, e.g. `reject('rcpt', 550)`.
 */
export class SmtpSink {
  readonly mails: SinkMail[] = [];
  readonly counts = { connections: 0, rcpt: 0, data: 0 };
  private readonly rejects: { stage: SinkStage; code: number }[] = [];
  private readonly server: SMTPServer;
  port = 0;

  private constructor(options: SinkOptions) {
    const disabled = [
      ...(options.auth ? [] : ['AUTH']),
      ...(options.starttls || options.secure ? [] : ['STARTTLS']),
    ];
    const serverOptions: SMTPServerOptions = {
      secure: options.secure ?? false,
      disabledCommands: disabled,
      authOptional: !options.auth,
      allowInsecureAuth: !options.starttls && !options.secure,
      logger: false,
      onConnect: (_session, cb) => {
        this.counts.connections++;
        cb(this.rejected('connect'));
      },
      onAuth: (auth, _session, cb) => {
        const r = this.rejected('auth');
        if (r) return cb(r);
        if (auth.username === options.auth?.user && auth.password === options.auth?.pass)
          return cb(null, { user: auth.username });
        cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
      onMailFrom: (_address, _session, cb) => cb(this.rejected('mail')),
      onRcptTo: (_address, _session, cb) => {
        this.counts.rcpt++;
        cb(this.rejected('rcpt'));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.counts.data++;
          const r = this.rejected('data');
          if (r) return cb(r);
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((a) => a.address),
            raw: Buffer.concat(chunks),
          });
          cb(null);
        });
      },
    };
    this.server = new SMTPServer(serverOptions);
  }

  static async start(options: SinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options);
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(0, '127.0.0.1', () => resolve());
    });
    sink.server.on('error', () => {});
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  /** The next `times` commands of `stage` are answered with `code`. */
  reject(stage: SinkStage, code: number, times = 1): void {
    for (let i = 0; i < times; i++) this.rejects.push({ stage, code });
  }

  private rejected(stage: SinkStage): Error | null | undefined {
    const i = this.rejects.findIndex((r) => r.stage === stage);
    if (i < 0) return null;
    const { code } = this.rejects.splice(i, 1)[0];
    return Object.assign(new Error(`Rejected by the test sink (${stage})`), { responseCode: code });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
