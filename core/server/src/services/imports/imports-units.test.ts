import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/actor.ts';
import { AreaLookup } from './area-lookup.ts';
import { cellText } from './cells.ts';
import { checkCustomer } from './customers-check.ts';
import type { LoadedCustomers } from './customers-load.ts';
import type { ParsedRow } from './entity.ts';
import { parseDate, parseDecimal, parseYuanToFen } from './parse.ts';
import { parseCsv, readRows } from './read-file.ts';

const ids = { root: '00000000-0000-4000-8000-000000000001', a: '00000000-0000-4000-8000-000000000002' };
const lookup = new AreaLookup([
  { id: ids.root, name: '小区', path: [ids.root] },
  { id: ids.a, name: '1号楼', path: [ids.root, ids.a] },
]);

describe('import cell parsing', () => {
  it('decodes Excel’s _xHHHH_ escapes, dates and rich text', () => {
    expect(cellText('a_x0000_b')).toBe('a\u0000b');
    expect(cellText(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(cellText({ richText: [{ text: '张' }, { text: '三 ' }] })).toBe('张三');
    expect(cellText({ formula: 'A1', result: 12 })).toBe('12');
  });

  it('rejects impossible dates and keeps decimals exact', () => {
    expect(parseDate('2024/2/29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate('2023-02-29').ok).toBe(false);
    expect(parseDate('2024-13-45').ok).toBe(false);
    expect(parseDecimal('0012.50', 2, 100)).toEqual({ ok: true, value: '12.5' });
    expect(parseDecimal('1.234', 2, 100).ok).toBe(false);
    expect(parseYuanToFen('100.5')).toEqual({ ok: true, value: '10050' });
    expect(parseYuanToFen('0.07')).toEqual({ ok: true, value: '7' });
    expect(parseYuanToFen('-1').ok).toBe(false);
  });

  it('parses quoted CSV with embedded commas, quotes and newlines', () => {
    const rows = [...parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\nlast,1')];
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x, "y"', 'line1\nline2'] },
      { row: 4, cells: ['last', '1'] },
    ]);
  });

  it('finds areas by full path or an unambiguous tail', () => {
    expect(lookup.find('小区/1号楼')).toMatchObject({ ok: true, area: { id: ids.a } });
    expect(lookup.find('1号楼')).toMatchObject({ ok: true, area: { id: ids.a } });
    expect(lookup.find('别处/1号楼')).toMatchObject({ ok: false, code: 'unknown_area' });
  });
});

describe('customer row check', () => {
  const actor = { areaScope: null } as unknown as Actor;
  const existing = {
    id: 'c1',
    number: 'C1',
    name: '张三',
    type: 'resident',
    phone: null,
    idNumber: null,
    address: null,
    areaId: ids.a,
    lowIncome: false,
    tags: ['b', 'a'],
    notes: '',
    status: 'active',
    custom: {},
  } as unknown as LoadedCustomers['customers'] extends Map<string, infer C> ? C : never;
  const loaded: LoadedCustomers = {
    areas: lookup,
    customers: new Map([['C1', existing]]),
    accounts: new Map(),
    facts: new Map(),
  };
  const row = (values: Record<string, unknown>): ParsedRow => ({
    row: 2,
    cells: [],
    values: new Map(Object.entries(values)),
    custom: new Map(),
  });
  const ctx = { actor, today: '2026-01-01', timeZone: 'Asia/Shanghai', customFields: [] };

  it('the same tags in another order are unchanged; different tags are an update', () => {
    const same = checkCustomer(
      row({ number: 'C1', name: '张三', area: '1号楼', tags: ['a', 'b'] }),
      loaded,
      ctx,
      new Map(),
    );
    expect(same).toMatchObject({ outcome: 'unchanged' });
    const absent = checkCustomer(row({ number: 'C1', name: '张三', area: '1号楼' }), loaded, ctx, new Map());
    expect(absent).toMatchObject({ outcome: 'unchanged', record: { customer: { tags: ['b', 'a'] } } });
    const other = checkCustomer(
      row({ number: 'C1', name: '张三', area: '1号楼', tags: ['a'] }),
      loaded,
      ctx,
      new Map(),
    );
    expect(other).toMatchObject({ outcome: 'updated', record: { customer: { tags: ['a'] } } });
  });

  it('account columns without an account number are an error', () => {
    const r = checkCustomer(
      row({ number: 'C2', name: '李四', area: '1号楼', readingDay: 5 }),
      loaded,
      ctx,
      new Map(),
    );
    expect(r).toEqual({
      errors: [
        { column: 'accountNumber', code: 'required', message: 'is required when readingDay is given' },
      ],
    });
  });
});

describe('streamed xlsx reading', () => {
  it('keeps Chinese text intact where its UTF-8 bytes straddle chunks (inline and shared strings)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-xlsx-'));
    try {
      const text = (i: number) => `阳光花园小区/${i}号楼/${'单元'.repeat(i % 7)}`;
      for (const useSharedStrings of [false, true]) {
        const path = join(dir, `${useSharedStrings}.xlsx`);
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings });
        const ws = wb.addWorksheet('s');
        for (let i = 0; i < 20_000; i++) ws.addRow([i, text(i)]).commit();
        ws.commit();
        await wb.commit();
        let n = 0;
        for await (const { cells } of readRows(path, 'xlsx')) {
          expect(cells[1], `row ${n}`).toBe(text(n));
          n++;
        }
        expect(n).toBe(20_000);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads dates, numbers, booleans, formulas, rich text, escapes and gaps as the user sees them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-xlsx-'));
    try {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('first').addRow([
        new Date(Date.UTC(2024, 1, 29)),
        12.5,
        true,
        { formula: 'B1*2', result: 25 },
        { richText: [{ text: '张' }, { text: '三 ', font: { bold: true } }] },
        'a_x0000_b & <c>',
        null,
        '  后 ',
        860000000000006,
      ]);
      wb.getWorksheet('first')!.getCell('C3').value = 'x';
      wb.addWorksheet('second').addRow(['not read']);
      const path = join(dir, 'kinds.xlsx');
      await wb.xlsx.writeFile(path);
      const rows = [];
      for await (const r of readRows(path, 'xlsx')) rows.push(r);
      expect(rows).toEqual([
        {
          row: 1,
          cells: ['2024-02-29', '12.5', 'true', '25', '张三', 'a\u0000b & <c>', '', '后', '860000000000006'],
        },
        { row: 3, cells: ['', '', 'x'] },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads parts written with a namespace prefix, preserved spaces, self-closing rows and cells without references', async () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const parts: Record<string, string> = {
      'xl/workbook.xml': `<x:workbook ${ns} ${rel}><x:sheets><x:sheet name="a" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels':
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/></Relationships>',
      'xl/sharedStrings.xml': `<x:sst ${ns}><x:si><x:t>共享</x:t></x:si><x:si><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:si></x:sst>`,
      'xl/worksheets/sheet1.xml':
        `<x:worksheet ${ns}><x:sheetData>` +
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>' +
        '<x:row r="2"/>' +
        '<x:row><x:c t="inlineStr"><x:is><x:t xml:space="preserve"> 空格 </x:t></x:is></x:c><x:c><x:v>7</x:v></x:c></x:row>' +
        '<x:row r="5"><x:c r="B5" t="inlineStr"><x:is><x:t>a&amp;b</x:t></x:is></x:c></x:row>' +
        '</x:sheetData></x:worksheet>',
    };
    const dir = await mkdtemp(join(tmpdir(), 'qm-xlsx-'));
    try {
      const path = join(dir, 'prefixed.xlsx');
      await writeFile(path, storedZip(parts));
      const rows = [];
      for await (const r of readRows(path, 'xlsx')) rows.push(r);
      expect(rows).toEqual([
        { row: 1, cells: ['共享', '', '富文本'] },
        { row: 2, cells: [] },
        { row: 3, cells: ['空格', '7'] },
        { row: 5, cells: ['', 'a&b'] },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A zip of uncompressed entries (enough for the reader: it opens any zip by its central directory). */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}
