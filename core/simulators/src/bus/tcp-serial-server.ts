import { createServer, type Server, type Socket } from 'node:net';

/** Anything that behaves like a serial line seen from the master: bytes in, bytes out. */
export interface SerialLine {
  write(bytes: Uint8Array): void;
  onData(fn: (chunk: Uint8Array) => void): () => void;
}

export interface TcpSerialServer {
  readonly host: string;
  readonly port: number;
  /** number of masters connected now */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A serial-device server as used in the field: a master connects to host:port and the TCP stream
 * is the raw RS-485 line, bytes both ways, no framing added. Port 0 picks a free port.
 */
export function startTcpSerialServer(
  line: SerialLine,
  opts: { host?: string; port?: number } = {},
): Promise<TcpSerialServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const off = line.onData((chunk) => {
      if (!socket.destroyed) socket.write(chunk);
    });
    socket.on('data', (d: Buffer) => line.write(new Uint8Array(d)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      off();
      sockets.delete(socket);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        host,
        port,
        get connections() {
          return sockets.size;
        },
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            server.close(() => res());
          }),
      });
    });
  });
}
