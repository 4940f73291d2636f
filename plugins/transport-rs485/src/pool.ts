import { LinePool, type SerialPortModule } from '@quadmeter/sdk/serial';

/** `serialport` is imported the first time a `tty:` line opens; TCP-only use never loads it. */
export const loadSerialPort = async (): Promise<SerialPortModule> =>
  (await import('serialport')) as unknown as SerialPortModule;

let pool: LinePool | undefined;

/** The transport's lines: one talker per line, shared by reads and controls. */
export function linePool(): LinePool {
  pool ??= new LinePool({ loadSerialPort });
  return pool;
}

/** Closes every line (plugin stop, tests). */
export async function closeLines(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
