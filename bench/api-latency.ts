// p50/p99 latency of an authenticated, row-level-secured list request (GET /api/v1/users and
// GET /api/v1/areas as the demo admin) against GET /healthz measured in the same run, same
// process, same keep-alive client. The ratio shows what session lookup + RLS transaction + DB cost.
//   npm run bench -- api-latency [requests-per-route]   (DATABASE_URL unset: embedded PostgreSQL)
import { benchPlatform } from './bench-platform.ts';

const n = Number(process.argv[2] ?? 2000);
const platform = await benchPlatform();
const running = platform.running;

try {
  const { cookie } = await platform.login();

  const routes: [string, Record<string, string>][] = [
    ['/healthz', {}],
    ['/api/v1/users', { cookie }],
    ['/api/v1/areas', { cookie }],
  ];
  const samples = new Map<string, number[]>(routes.map(([r]) => [r, []]));
  const once = async (path: string, headers: Record<string, string>) => {
    const t0 = performance.now();
    const res = await fetch(running.url + path, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 200; i++) for (const [p, h] of routes) await once(p, h); // warm up
  // interleave the routes so machine noise hits all of them alike
  for (let i = 0; i < n; i++) for (const [p, h] of routes) samples.get(p)!.push(await once(p, h));

  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  const base = samples.get('/healthz')!;
  const b50 = pct(base, 0.5);
  const b99 = pct(base, 0.99);
  console.log(
    `${n} sequential requests per route, keep-alive, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}`,
  );
  console.log('route              p50 ms   p99 ms   p50 ÷ healthz   p99 ÷ healthz');
  for (const [p] of routes) {
    const xs = samples.get(p)!;
    const p50 = pct(xs, 0.5);
    const p99 = pct(xs, 0.99);
    console.log(
      `${p.padEnd(17)} ${p50.toFixed(2).padStart(7)}  ${p99.toFixed(2).padStart(7)}  ${(p50 / b50).toFixed(2).padStart(14)}  ${(p99 / b99).toFixed(2).padStart(14)}`,
    );
  }
  const users = pct(samples.get('/api/v1/users')!, 0.5) / b50;
  console.log(
    `goal: GET /api/v1/users p50 ≤ 6 × /healthz: ${users <= 6 ? 'met' : 'missed'} (${users.toFixed(2)} ×)`,
  );
} finally {
  await platform.stop();
}
