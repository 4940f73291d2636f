import { type ByteLink, openTcpLink, openTtyLink, type SerialPortLoader } from './byte-link.ts';
import { TransportError } from './failure.ts';
import type { SerialLineParams } from './line-params.ts';

interface Line {
  link?: ByteLink;
  /** the tail of this line's queue: the next talker waits for it */
  tail: Promise<void>;
}

export interface LinePoolOptions {
  /** how to load `serialport`; without it `tty:` lines are LINE_UNAVAILABLE */
  loadSerialPort?: SerialPortLoader;
  connectTimeoutMs?: number;
}

/**
 * The open lines of one transport, by line key. One talker per line: `withLine` runs its callers
 * one after another on the same line (reads and controls alike) and lines in parallel. A line is
 * opened on first use and opened again when its port or connection went away.
 */
export class LinePool {
  private readonly lines = new Map<string, Line>();
  private readonly options: LinePoolOptions;

  constructor(options: LinePoolOptions = {}) {
    this.options = options;
  }

  async withLine<T>(params: SerialLineParams, fn: (link: ByteLink) => Promise<T>): Promise<T> {
    let line = this.lines.get(params.key);
    if (!line) {
      line = { tail: Promise.resolve() };
      this.lines.set(params.key, line);
    }
    const prev = line.tail;
    let release = (): void => {};
    line.tail = new Promise<void>((res) => {
      release = res;
    });
    await prev;
    try {
      const link = await this.linkOf(line, params);
      return await fn(link);
    } finally {
      release();
    }
  }

  private async linkOf(line: Line, params: SerialLineParams): Promise<ByteLink> {
    if (line.link?.open) return line.link;
    if (line.link) await line.link.close();
    line.link = undefined;
    if (params.kind === 'tcp') line.link = await openTcpLink(params, this.options.connectTimeoutMs);
    else if (this.options.loadSerialPort) line.link = await openTtyLink(params, this.options.loadSerialPort);
    else throw new TransportError('LINE_UNAVAILABLE', `line ${params.key}: no serial-port support loaded`);
    return line.link;
  }

  /** line keys open now */
  get openLines(): string[] {
    return [...this.lines].filter(([, l]) => l.link?.open).map(([k]) => k);
  }

  /** Closes every line (after the talkers queued on it). */
  async close(): Promise<void> {
    const all = [...this.lines.values()];
    this.lines.clear();
    await Promise.all(
      all.map(async (l) => {
        await l.tail;
        await l.link?.close();
      }),
    );
  }
}
