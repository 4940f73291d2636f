import { connect } from 'node:net';
import { TransportError } from './failure.ts';
import type { SerialLineParams } from './line-params.ts';

/** An open line seen from the master: bytes out, bytes in. */
export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  /** subscribes to received bytes; returns the unsubscribe function */
  onData(fn: (chunk: Uint8Array) => void): () => void;
  /** false once the port or the connection is gone (the pool opens it again) */
  readonly open: boolean;
  /** performance.now() when the last byte came in (-Infinity before any) */
  readonly lastRxAt: number;
  /**
   * Local ports: switch the port's baud rate (a meter on a mixed-speed line). A serial server's
   * speed is its own setting, so TCP links have none.
   */
  setBaudRate?(baudRate: number): Promise<void>;
  close(): Promise<void>;
}

/** The part of the `serialport` package the links use. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(cb: (e: Error | null) => void): void;
  write(data: Buffer, cb: (e: Error | null | undefined) => void): boolean;
  drain(cb: (e: Error | null) => void): void;
  close(cb: (e: Error | null) => void): void;
  update(o: { baudRate: number }, cb: (e: Error | null | undefined) => void): void;
  on(event: 'data', fn: (d: Buffer) => void): unknown;
  on(event: 'error' | 'close', fn: (e?: Error) => void): unknown;
  off(event: 'data', fn: (d: Buffer) => void): unknown;
}

export interface SerialPortModule {
  SerialPort: new (o: {
    path: string;
    baudRate: number;
    dataBits: 7 | 8;
    parity: 'even' | 'odd' | 'none';
    stopBits: 1 | 2;
    autoOpen: false;
  }) => SerialPortLike;
}

/** Loads the native serial-port binding; called only when a `tty:` line is first opened. */
export type SerialPortLoader = () => Promise<SerialPortModule>;

class Listeners {
  private readonly fns = new Set<(chunk: Uint8Array) => void>();
  lastRxAt = Number.NEGATIVE_INFINITY;
  add(fn: (chunk: Uint8Array) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  emit(d: Buffer): void {
    this.lastRxAt = performance.now();
    const chunk = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    for (const fn of this.fns) fn(chunk);
  }
}

const unavailable = (line: SerialLineParams, e: unknown): TransportError =>
  new TransportError('LINE_UNAVAILABLE', `line ${line.key}: ${e instanceof Error ? e.message : String(e)}`);

/** Connects to a serial server (raw TCP, no framing added). */
export function openTcpLink(line: SerialLineParams, connectTimeoutMs = 3000): Promise<ByteLink> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: line.host as string, port: line.port as number });
    const listeners = new Listeners();
    let open = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unavailable(line, new Error(`connect timed out after ${connectTimeoutMs} ms`)));
    }, connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      open = true;
      socket.setNoDelay(true);
      resolve({
        get open() {
          return open && !socket.destroyed;
        },
        get lastRxAt() {
          return listeners.lastRxAt;
        },
        write: (bytes) =>
          new Promise((res, rej) => socket.write(bytes, (e) => (e ? rej(unavailable(line, e)) : res()))),
        onData: (fn) => listeners.add(fn),
        close: () =>
          new Promise((res) => {
            open = false;
            if (socket.destroyed) return res();
            socket.once('close', () => res());
            socket.destroy();
          }),
      });
    });
    socket.on('data', (d: Buffer) => listeners.emit(d));
    socket.on('close', () => {
      open = false;
    });
    socket.on('error', (e) => {
      open = false;
      clearTimeout(timer);
      reject(unavailable(line, e));
    });
  });
}

/** Opens a local serial port through the lazily loaded `serialport` package. */
export async function openTtyLink(line: SerialLineParams, load: SerialPortLoader): Promise<ByteLink> {
  let mod: SerialPortModule;
  try {
    mod = await load();
  } catch (e) {
    throw unavailable(line, e);
  }
  const port = new mod.SerialPort({
    path: line.path as string,
    baudRate: line.baudRate,
    dataBits: line.dataBits,
    parity: line.parity,
    stopBits: line.stopBits,
    autoOpen: false,
  });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(unavailable(line, e)) : res())));
  const listeners = new Listeners();
  let open = true;
  let baud = line.baudRate;
  port.on('data', (d: Buffer) => listeners.emit(d));
  port.on('error', () => {
    open = false;
  });
  port.on('close', () => {
    open = false;
  });
  return {
    get open() {
      return open && port.isOpen;
    },
    get lastRxAt() {
      return listeners.lastRxAt;
    },
    setBaudRate: (baudRate) =>
      baudRate === baud
        ? Promise.resolve()
        : new Promise((res, rej) =>
            port.update({ baudRate }, (e) => {
              if (e) return rej(unavailable(line, e));
              baud = baudRate;
              res();
            }),
          ),
    write: (bytes) =>
      new Promise((res, rej) => {
        port.write(Buffer.from(bytes), (e) => {
          if (e) return rej(unavailable(line, e));
          port.drain((d) => (d ? rej(unavailable(line, d)) : res()));
        });
      }),
    onData: (fn) => listeners.add(fn),
    close: () =>
      new Promise((res) => {
        open = false;
        if (!port.isOpen) return res();
        port.close(() => res());
      }),
  };
}
