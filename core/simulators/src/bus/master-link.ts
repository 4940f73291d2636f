import { connect, type Socket } from 'node:net';
import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';

/** The master's side of a byte link (a TCP socket to a serial server, or an open serial port). */
export interface ByteLink {
  write(bytes: Uint8Array): void;
  on(event: 'data', fn: (d: Buffer) => void): unknown;
  off(event: 'data', fn: (d: Buffer) => void): unknown;
}

export interface Exchange {
  /** first complete frame, or null on timeout */
  frame: Uint8Array | null;
  /** every byte received while waiting */
  received: Uint8Array;
  /** ms from the write to the frame (or to the timeout) */
  elapsedMs: number;
  /** number of data events (chunks) the bytes arrived in */
  chunks: number;
}

/**
 * Sends one request and waits for the first complete frame the extractor finds, the way a
 * polling master does. Resolves on timeout with `frame: null` and whatever bytes came.
 */
export function exchange(
  link: ByteLink,
  request: Uint8Array,
  x: FrameExtractor,
  timeoutMs = 1000,
): Promise<Exchange> {
  const t0 = performance.now();
  const parts: Buffer[] = [];
  return new Promise((resolve) => {
    const finish = (frame: Uint8Array | null): void => {
      clearTimeout(timer);
      link.off('data', onData);
      resolve({
        frame,
        received: new Uint8Array(Buffer.concat(parts)),
        elapsedMs: performance.now() - t0,
        chunks: parts.length,
      });
    };
    const onData = (d: Buffer): void => {
      parts.push(d);
      const r = x.push(new Uint8Array(d));
      if (r.frames.length > 0) finish(r.frames[0]);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    link.on('data', onData);
    link.write(request);
  });
}

/** Opens a TCP connection to a serial server. */
export function connectTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => {
      s.off('error', reject);
      s.setNoDelay(true);
      resolve(s);
    });
    s.once('error', reject);
  });
}
