import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const HEADERS = [
  '用户编号',
  '用户名称',
  '用户类型',
  '联系电话',
  '所属区域',
  '家庭人口',
  '人口/面积生效日期',
  '账户编号',
  '计费方式',
  '押金(元)',
  '供暖方式',
  '入住日期',
];

export interface ErrorRow {
  row: number;
  values: Record<string, string>;
  reasons: { column?: string; code: string; message: string }[];
}

export type Cells = (string | number | null)[];

/** One good row: customer i in the given area. */
export function goodRow(i: number, area: string): Cells {
  const n = String(i).padStart(5, '0');
  return [
    `C${n}`,
    `住户${n}`,
    '居民',
    `138${String(i).padStart(8, '0')}`,
    area,
    3,
    '2024-01-01',
    `A${n}`,
    '预付费',
    '100.50',
    '集中供暖',
    '2023-06-01',
  ];
}

export async function xlsxOf(rows: Cells[], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('customers');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function upload(
  c: Client,
  body: Buffer | string,
  query = 'entity=customers&fileName=test.xlsx',
  type = XLSX,
) {
  const headers: Record<string, string> = { 'content-type': type, cookie: c.cookie, 'x-csrf-token': c.csrf };
  const res = await fetch(`${c.baseUrl}/api/v1/imports?${query}`, { method: 'POST', headers, body });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls an import until it leaves the in-flight states. */
export async function settle(c: Client, id: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await c.get(`/api/v1/imports/${id}`);
    expect(r.status).toBe(200);
    if (!['queued', 'validating', 'applying'].includes(r.body.status)) return r.body;
    if (Date.now() > until) throw new Error(`import ${id} stuck in ${r.body.status}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

export async function download(c: Client, path: string) {
  const res = await fetch(c.baseUrl + path, { headers: { cookie: c.cookie } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

export async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    out.push(
      Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  return out;
}
