/**
 * A real `quadmeter start --role <role>` process (core/server/bin/quadmeter.mjs) against a shared
 * database, for the scale-out test: spawned with its own port, killed with SIGKILL at will.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/quadmeter.mjs', import.meta.url));

export interface NodeProcess {
  role: string;
  child: ChildProcess;
  pid: number;
  /** resolves with the node's base URL once it printed "running at" */
  ready: Promise<string>;
  output(): string;
  kill(): Promise<void>;
}

export function startNode(role: string, env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, [BIN, 'start', '--role', role], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) =>
      reject(new Error(`${role} node exited (${code ?? signal}) before it was ready:\n${out.slice(-3000)}`)),
    );
  });
  ready.catch(() => {});
  return {
    role,
    child,
    pid: child.pid ?? -1,
    ready,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
