import { AppError } from '@quadmeter/sdk';
import unzipper from 'unzipper';
import { storable } from './cells.ts';

/**
 * The first worksheet of an xlsx workbook as rows of cell text, streamed: the zip is opened by its
 * central directory (unzipper, native inflate), the small parts (workbook, relationships, styles,
 * shared strings) are read whole, and the sheet is decoded chunk by chunk (a UTF-8 decoder that
 * carries partial characters over) and scanned row by row. Only what an import needs is read —
 * values, shared and inline strings, booleans, errors and which number formats are dates — which
 * is several times faster than building exceljs Row and Cell objects (bench/archives-import.ts).
 */
export interface XlsxRow {
  row: number;
  cells: string[];
}

type Entry = { path: string; stream(): NodeJS.ReadableStream; buffer(): Promise<Buffer> };

const tag = (name: string) => `(?:[A-Za-z_][\\w.-]*:)?${name}`;
const ROW = new RegExp(`<${tag('row')}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${tag('row')}>)`, 'g');
const ROW_END = new RegExp(`</${tag('row')}>`, 'g');
const CELL = new RegExp(`<${tag('c')}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${tag('c')}>)`, 'g');
const VALUE = new RegExp(`<${tag('v')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag('v')}>`);
const TEXT = new RegExp(`<${tag('t')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag('t')}>`, 'g');
const PHONETIC = new RegExp(`<${tag('rPh')}\\b[\\s\\S]*?</${tag('rPh')}>`, 'g');
const SI = new RegExp(`<${tag('si')}\\b[^>]*?(?:/>|>([\\s\\S]*?)</${tag('si')}>)`, 'g');
const ATTR = /([\w:]+)="([^"]*)"/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  let out = s.includes('&')
    ? s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
        if (e[0] !== '#') return ENTITIES[e] ?? m;
        const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      })
    : s;
  // characters XML cannot carry (NUL …) are stored by Excel as _xHHHH_ (ECMA-376 ST_Xstring)
  if (out.includes('_x'))
    out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  return out;
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(ATTR)) out[m[1].replace(/^.*:/, '')] = m[2];
  return out;
}

/** The text of every `<t>` of a string item or inline string, without phonetic runs. */
function runsText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(PHONETIC, '') : xml;
  let out = '';
  for (const m of body.matchAll(TEXT)) out += m[1];
  return xmlText(out);
}

/** 0-based column of a cell reference such as `AB12`. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col - 1;
}

/** Built-in number formats that show dates or times (ECMA-376 18.8.30). */
const DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);
function isDateCode(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** Which cell style indexes (`s`) format numbers as dates. */
function dateStyles(xml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(new RegExp(`<${tag('numFmt')}\\b([^>]*)/?>`, 'g'))) {
    const a = attrs(m[1]);
    custom.set(Number(a.numFmtId), xmlText(a.formatCode ?? ''));
  }
  const xfs = new RegExp(`<${tag('cellXfs')}\\b[^>]*>([\\s\\S]*?)</${tag('cellXfs')}>`).exec(xml)?.[1] ?? '';
  const out = new Set<number>();
  let i = 0;
  for (const m of xfs.matchAll(new RegExp(`<${tag('xf')}\\b([^>]*?)/?>`, 'g'))) {
    const id = Number(attrs(m[1]).numFmtId ?? 0);
    const code = custom.get(id);
    if (DATE_FORMATS.has(id) || (code !== undefined && isDateCode(code))) out.add(i);
    i++;
  }
  return out;
}

/** A date serial as the text the user sees: a whole day as YYYY-MM-DD, anything else as ISO. */
function serialDate(v: number, date1904: boolean): string {
  const ms = Math.round((v + (date1904 ? 1462 : 0) - 25569) * 86_400_000);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

interface Parts {
  shared: string[];
  dates: Set<number>;
  date1904: boolean;
}

function cellValue(a: Record<string, string>, body: string, p: Parts): string {
  const t = a.t ?? 'n';
  if (t === 'inlineStr') return runsText(body).trim();
  const raw = VALUE.exec(body)?.[1];
  if (raw === undefined) return '';
  switch (t) {
    case 's':
      return (p.shared[Number(raw)] ?? '').trim();
    case 'b':
      return raw === '1' ? 'true' : 'false';
    case 'str':
    case 'e':
      return xmlText(raw).trim();
    default: {
      const n = Number(raw);
      if (!Number.isFinite(n)) return xmlText(raw).trim();
      return a.s && p.dates.has(Number(a.s)) ? serialDate(n, p.date1904) : String(n);
    }
  }
}

function* rowsIn(xml: string, p: Parts, next: { row: number }): Generator<XlsxRow> {
  for (const m of xml.matchAll(ROW)) {
    const ra = attrs(m[1]);
    const row = ra.r ? Number(ra.r) : next.row;
    next.row = row + 1;
    const cells: string[] = [];
    if (m[2])
      for (const c of m[2].matchAll(CELL)) {
        const a = attrs(c[1]);
        const col = a.r ? columnOf(a.r) : cells.length;
        while (cells.length < col) cells.push('');
        cells[col] = c[2] ? cellValue(a, c[2], p) : '';
      }
    yield { row, cells };
  }
}

async function text(e: Entry | undefined): Promise<string> {
  return e ? new TextDecoder('utf-8').decode(await e.buffer()) : '';
}

/** The first sheet's part name, by the workbook's sheet order and its relationships. */
function firstSheet(workbook: string, rels: string): string | undefined {
  const sheet = new RegExp(`<${tag('sheet')}\\b([^>]*)/?>`).exec(workbook);
  if (!sheet) return undefined;
  const a = sheet[1].match(/\b(?:[\w]+:)?id="([^"]*)"/);
  for (const m of rels.matchAll(new RegExp(`<${tag('Relationship')}\\b([^>]*)/?>`, 'g'))) {
    const r = attrs(m[1]);
    if (a && r.Id === a[1]) {
      const target = r.Target.replace(/^\//, '');
      return target.startsWith('xl/') ? target : `xl/${target}`;
    }
  }
  return undefined;
}

export async function* xlsxRows(path: string): AsyncGenerator<XlsxRow> {
  let files: Entry[];
  try {
    files = (await unzipper.Open.file(path)).files as Entry[];
  } catch (e) {
    throw new AppError(
      'IMPORT_FILE_INVALID',
      storable(`The file is not an xlsx workbook: ${(e as Error).message}`, 300),
    );
  }
  const byName = new Map(files.map((f) => [f.path.replace(/^\//, ''), f]));
  const workbook = await text(byName.get('xl/workbook.xml'));
  const sheetName = firstSheet(workbook, await text(byName.get('xl/_rels/workbook.xml.rels')));
  const sheet = byName.get(sheetName ?? '') ?? files.find((f) => /^xl\/worksheets\/[^/]+\.xml$/.test(f.path));
  if (!workbook || !sheet) throw new AppError('IMPORT_FILE_INVALID', 'The file is not an xlsx workbook');
  const sharedXml = await text(byName.get('xl/sharedStrings.xml'));
  const parts: Parts = {
    shared: [...sharedXml.matchAll(SI)].map((m) => (m[1] ? runsText(m[1]) : '')),
    dates: dateStyles(await text(byName.get('xl/styles.xml'))),
    date1904: /date1904="(1|true)"/.test(workbook),
  };
  const decoder = new TextDecoder('utf-8');
  const next = { row: 1 };
  let buf = '';
  for await (const chunk of sheet.stream() as AsyncIterable<Buffer>) {
    buf += decoder.decode(chunk, { stream: true });
    let end = -1;
    for (const m of buf.matchAll(ROW_END)) end = m.index + m[0].length;
    if (end < 0) continue;
    yield* rowsIn(buf.slice(0, end), parts, next);
    buf = buf.slice(end);
  }
  yield* rowsIn(buf + decoder.decode(), parts, next);
}
