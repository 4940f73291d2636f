import { SerialPort } from 'serialport';
import type { SerialLine } from './tcp-serial-server.ts';

export interface AttachedPort {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Opens a serial device (a real adapter or one end of a socat pty pair) with `serialport` and
 * joins it to the simulated line: what the master sends on the other side reaches the meters,
 * and the meters' replies go back out.
 */
export async function attachSerialPort(
  line: SerialLine,
  path: string,
  baudRate = 2400,
): Promise<AttachedPort> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'even', stopBits: 1, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  port.on('data', (d: Buffer) => line.write(new Uint8Array(d)));
  port.on('error', () => {});
  const off = line.onData((chunk) => {
    if (port.isOpen) port.write(Buffer.from(chunk));
  });
  return {
    path,
    close: () =>
      new Promise<void>((res) => {
        off();
        if (!port.isOpen) return res();
        port.close(() => res());
      }),
  };
}
