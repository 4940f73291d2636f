// Import of N meters from an xlsx file through the full path — HTTP upload, the validate job, the
// apply job (the real services and workers of a running platform) — against a raw COPY of the same
// meter rows, as stored, into a table created LIKE meters INCLUDING ALL (the same 6 btree indexes; no
// RLS, no search-key trigger, no routes, events or audit) in the same run. Then where the time goes: the
// validate and apply jobs' own split (from their log lines).
//   npm run bench -- archives --import-only [meters]       (called by bench/archives.ts)
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { loadConfig } from '../core/server/src/config.ts';
import { createLogger } from '../core/server/src/logger.ts';
import { startPlatform } from '../core/server/src/main.ts';
import { openBenchDatabase } from './archives-build.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS = [
  '资产编号',
  '表类型',
  '通信协议',
  '通信地址',
  '表位数',
  '初始读数',
  '安装日期',
  '所属区域',
  '账户编号',
  '阀控能力',
  '线路',
  '集中器',
  '测量点号',
  'NB平台',
  '型号',
  '厂家',
];
const AREAS = ['阳光花园小区/1号楼', '阳光花园小区/2号楼', '理工大学东校区/学生公寓A栋', '幸福里小区/3号楼'];
const POINTS = 2000;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Meter i of four kinds: water on RS-485 lines, power behind concentrators, gas on NB-IoT, heat on LoRa. */
function row(i: number): (string | number)[] {
  const n = String(i).padStart(7, '0');
  const area = AREAS[i % AREAS.length];
  const q = Math.floor(i / 4);
  switch (i % 4) {
    case 0:
      return [
        `W${n}`,
        '水表',
        'cjt188',
        String(i).padStart(14, '0'),
        6,
        '12.5',
        '2024-03-01',
        area,
        '',
        '阀门',
        `tcp://10.1.${q % 250}.${1 + (Math.floor(q / 250) % 250)}:9000`,
        '',
        '',
        '',
        'LXSY-20E',
        '宁波水表',
      ];
    case 1:
      return [
        `E${n}`,
        '电表',
        'gdw1376',
        `35${String(i).padStart(10, '0')}`,
        6,
        '100.25',
        '',
        area,
        '',
        'relay',
        '',
        `JZQ-${Math.floor(q / POINTS) + 1}`,
        (q % POINTS) + 1,
        '',
        'DDZY102',
        '威胜',
      ];
    case 2:
      return [
        `G${n}`,
        '气表',
        'nbiot',
        `86${String(i).padStart(13, '0')}`,
        5,
        '0',
        '2024-03-01',
        area,
        '',
        '阀门',
        '',
        '',
        '',
        'onenet',
        'G2.5-NB',
        '金卡',
      ];
    default:
      return [
        `H${n}`,
        '热表',
        'lora',
        `A1B2${String(i).padStart(12, '0')}`,
        7,
        '3.25',
        '',
        area,
        '',
        '',
        '',
        '',
        '',
        '',
        'HT-DN20',
        '汇中',
      ];
  }
}

async function writeXlsx(path: string, n: number) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet('meters');
  ws.addRow(HEADERS).commit();
  for (let i = 1; i <= n; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
}

/** What the apply job logs when it is done: its re-check and write times. */
function logTap() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n'))
        if (l.includes('import applied') || l.includes('import validated')) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

export async function benchArchivesImport(n: number): Promise<void> {
  const bench = await openBenchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'qm-bench-import-'));
  await chmod(dataDir, 0o755);
  const password = 'bench-password';
  const tap = logTap();
  const config = loadConfig({
    DATABASE_URL: bench.db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_PASSWORD: password,
    QUADMETER_DEMO_ESTATE: 'off',
    QUADMETER_IMPORT_LIMIT_MB: '200',
    LOG_LEVEL: 'info',
  });
  const running = await startPlatform({ config, logger: tap.logger });
  try {
    const login = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', username: 'admin', password }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const body = (await login.json()) as { csrfToken?: string; tenant: { id: string } };
    const headers = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0],
      'x-csrf-token': body.csrfToken ?? '',
    };
    const api = async (method: string, path: string, json?: unknown, raw?: Buffer) => {
      const res = await fetch(running.url + path, {
        method,
        headers: { ...headers, 'content-type': raw ? XLSX : 'application/json' },
        body: raw ? new Uint8Array(raw) : json === undefined ? undefined : JSON.stringify(json),
      });
      const out = (await res.json()) as Record<string, never>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(out)}`);
      return out as unknown as Record<string, unknown> & { id: string; status: string; items: never[] };
    };
    const areas = (await api('GET', '/api/v1/areas')).items as { id: string; parentId: string | null }[];
    const root = areas.find((a) => a.parentId === null)!.id;
    const concentrators = Math.ceil(Math.ceil(n / 4) / POINTS);
    for (let k = 1; k <= concentrators; k++)
      await api('POST', '/api/v1/concentrators', { number: `JZQ-${k}`, a1: '3501', a2: k, areaId: root });

    const file = join(dataDir, 'meters.xlsx');
    await writeXlsx(file, n);
    const bytes = await readFile(file);
    console.log(`meter import: ${fmt(n)} rows, xlsx ${(bytes.length / 1e6).toFixed(1)} MB (${bench.label})`);

    const settle = async (id: string) => {
      for (;;) {
        const r = await api('GET', `/api/v1/imports/${id}`);
        if (!['queued', 'validating', 'applying'].includes(r.status)) return r;
        await new Promise((ok) => setTimeout(ok, 25));
      }
    };
    const t0 = performance.now();
    const up = await api('POST', '/api/v1/imports?entity=meters&fileName=meters.xlsx', undefined, bytes);
    const t1 = performance.now();
    const checked = await settle(up.id);
    const t2 = performance.now();
    const report = checked.report as { created: number; errors: number };
    if (checked.status !== 'validated' || report.created !== n || report.errors)
      throw new Error(`validation: ${JSON.stringify(checked).slice(0, 2000)}`);
    await api('POST', `/api/v1/imports/${up.id}/apply`, {});
    const done = await settle(up.id);
    const t3 = performance.now();
    if (done.status !== 'applied') throw new Error(`apply: ${JSON.stringify(done).slice(0, 2000)}`);
    const total = t3 - t0;
    const rate = (n / total) * 1000;

    // ---- the baseline: the same meter rows, as stored, COPYed into a table LIKE meters INCLUDING ALL ----
    const sql = bench.db.sql;
    const cols = '*';
    const chunks: Buffer[] = [];
    await sql.begin(async (s) => {
      await s`select set_config('app.tenant_id', ${body.tenant.id}, true)`;
      const out = await s.unsafe(`copy (select ${cols} from meters) to stdout`).readable();
      for await (const c of out) chunks.push(c as Buffer);
    });
    const data = Buffer.concat(chunks);
    await sql.unsafe('drop table if exists bench_meters_like');
    await sql.unsafe('create table bench_meters_like (like meters including all)');
    const c0 = performance.now();
    const sink = await sql.unsafe('copy bench_meters_like from stdin').writable();
    await new Promise<void>((resolve, reject) => {
      sink.on('error', reject);
      sink.on('finish', resolve);
      for (let at = 0; at < data.length; at += 1 << 20) sink.write(data.subarray(at, at + (1 << 20)));
      sink.end();
    });
    const copyMs = performance.now() - c0;
    const [{ count }] = await sql<{ count: string }[]>`select count(*) from bench_meters_like`;
    await sql.unsafe('drop table bench_meters_like');
    const copyRate = (Number(count) / copyMs) * 1000;

    // ---- where the time goes: the jobs' own log lines ----
    type Split = { msg: string; readMs?: number; checkMs?: number; stageMs?: number; writeMs?: number };
    const validated = (tap.lines as Split[]).find((l) => l.msg === 'import validated');
    const applied = (tap.lines as Split[]).find((l) => l.msg === 'import applied');

    console.log(
      `full path (upload ${secs(t1 - t0)} + validate job ${secs(t2 - t1)} + apply job ${secs(t3 - t2)}): ${secs(total)} = ${fmt(rate)} rows/s`,
    );
    console.log(
      `baseline: raw COPY of the same ${fmt(Number(count))} meter rows as stored (${(data.length / 1e6).toFixed(0)} MB) into a logged table LIKE meters INCLUDING ALL (same indexes, no RLS, no search keys, no routes/events/audit): ${secs(copyMs)} = ${fmt(copyRate)} rows/s`,
    );
    console.log(
      `import ÷ raw COPY = ${(rate / copyRate).toFixed(2)}× (goal ≥ 0.25×: ${rate / copyRate >= 0.25 ? 'met' : 'missed'})`,
    );
    console.log(
      `profile: validate job = xlsx read + cell parsing ${validated?.readMs} ms, row checks (incl. loading what rows refer to) ${validated?.checkMs} ms, staging parsed rows ${validated?.stageMs} ms; ` +
        `apply job = re-check ${applied?.checkMs} ms, write (meters + audit, routes, install events) ${applied?.writeMs} ms`,
    );
    // the apply's write statements by themselves bound the ratio from above: even a path that spent
    // nothing on the file, the checks and the jobs could not beat its write
    if (applied?.writeMs)
      console.log(
        `write alone ÷ raw COPY = ${(((n / applied.writeMs) * 1000) / copyRate).toFixed(2)}× (the most the full path could reach if all else took no time)`,
      );
  } finally {
    await running.stop();
    await bench.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `archives --import-only [n]` imports n meters and nothing else; otherwise bench/archives.ts
 * imports a tenth of its meters after its own phases (1M → 100k; the smoke run's 5,000 → 1,000).
 */
export function importRowsFor(args: string[], meters: number): number {
  if (importOnly(args)) return meters;
  return Math.min(100_000, Math.max(1000, Math.floor(meters / 10)));
}

export const importOnly = (args: string[]) => args.includes('--import-only');
