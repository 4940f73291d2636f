import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PtyPair {
  /** link the simulator opens */
  readonly simPath: string;
  /** link the master opens */
  readonly masterPath: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `socat` with two raw pseudo-terminals linked at the given paths and resolves when
 * socat reports its transfer loop and both links exist. Bytes written to one end come out of
 * the other, so both sides can use a real serial-port library.
 */
export function startPtyPair(simPath: string, masterPath: string, timeoutMs = 5000): Promise<PtyPair> {
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${simPath}`, `pty,raw,echo=0,link=${masterPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  let exited = false;
  const exitPromise = new Promise<void>((res) => {
    child.once('exit', () => {
      exited = true;
      res();
    });
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    await exitPromise;
  };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    child.once('error', (e) => reject(new Error(`cannot start socat: ${e.message}`)));
    const poll = (): void => {
      if (exited) {
        reject(new Error(`socat exited early: ${log.trim()}`));
      } else if (
        log.includes('starting data transfer loop') &&
        existsSync(simPath) &&
        existsSync(masterPath)
      ) {
        resolve({ simPath, masterPath, pid: child.pid ?? 0, stop });
      } else if (Date.now() > deadline) {
        void stop();
        reject(new Error(`socat links ${simPath} / ${masterPath} did not appear within ${timeoutMs} ms`));
      } else {
        setTimeout(poll, 20);
      }
    };
    poll();
  });
}
