import { createServer, type Server, type Socket } from 'node:net';
import type { GdwFrame } from '../../../protocols/src/gdw1376/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';

/**
 * A minimal master station for exercising the concentrator: accepts the terminal's TCP link,
 * confirms login and heartbeats, and lets the caller send frames and await the replies.
 */
export class TestMaster {
  readonly frames: GdwFrame[] = [];
  socket: Socket | undefined;
  private server: Server | undefined;
  private waiters: { pred: (f: GdwFrame) => boolean; resolve: (f: GdwFrame) => void }[] = [];
  private readonly x = gdw.extractor();

  async listen(): Promise<number> {
    this.server = createServer((s) => {
      this.socket?.destroy();
      this.socket = s;
      this.x.reset();
      s.on('data', (d: Buffer) => {
        for (const bytes of this.x.push(new Uint8Array(d)).frames) this.onFrame(gdw.decodeFrame(bytes));
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  private onFrame(f: GdwFrame): void {
    this.frames.push(f);
    if (f.afn === '02') {
      const fn = f.units[0]?.fn ?? 1;
      this.socket?.write(
        gdw.buildConfirm(
          { A1_region: f.address.A1_region, A2_terminal: f.address.A2_terminal },
          f.seq.pseq,
          '02',
          [{ pn: 0, fn }],
        ),
      );
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(f)) return true;
      w.resolve(f);
      return false;
    });
  }

  /** Resolves with the first frame (already received or coming) that satisfies `pred`. */
  waitFor(pred: (f: GdwFrame) => boolean, timeoutMs = 5000, from = 0): Promise<GdwFrame> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('test master: no matching frame')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Sends a request and collects the reply frames up to the one with FIN. */
  async request(bytes: Uint8Array, timeoutMs = 5000): Promise<GdwFrame[]> {
    const seq = gdw.decodeFrame(bytes).seq.pseq;
    const from = this.frames.length;
    this.socket?.write(bytes);
    const out: GdwFrame[] = [];
    let next = seq;
    for (;;) {
      const want = next;
      const f = await this.waitFor(
        (x) => x.afn !== '02' && x.seq.pseq === want && !out.includes(x),
        timeoutMs,
        from,
      );
      out.push(f);
      if (f.seq.fin) return out;
      next = (next + 1) & 0x0f;
    }
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
