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

/** The value of attribute `name` in a start tag's attribute text, or undefined (no prefix match). */
function attr(s: string, name: string): string | undefined {
  let at = s.indexOf(`${name}="`);
  while (at >= 0) {
    const before = s.charCodeAt(at - 1);
    // preceded by whitespace (or a namespace prefix's colon): not the tail of a longer name
    if (before === 32 || before === 9 || before === 10 || before === 13 || before === 58) {
      const from = at + name.length + 2;
      return s.slice(from, s.indexOf('"', from));
    }
    at = s.indexOf(`${name}="`, at + 1);
  }
  return undefined;
}

/** The text of the first `<v>` in a cell body, or undefined. */
function valueIn(body: string): string | undefined {
  const at = body.indexOf('<v>');
  if (at >= 0) {
    const end = body.indexOf('<', at + 3);
    if (body.startsWith('</v>', end)) return body.slice(at + 3, end);
  }
  return VALUE.exec(body)?.[1];
}

/** An inline string's text: the common `<is><t>…</t></is>` directly, anything richer by runsText. */
function inlineText(body: string): string {
  if (body.startsWith('<is><t>') && body.endsWith('</t></is>')) {
    const inner = body.slice(7, -9);
    if (!inner.includes('<')) return xmlText(inner);
  } else if (body.startsWith('<is><t xml:space="preserve">') && body.endsWith('</t></is>')) {
    const inner = body.slice(28, -9);
    if (!inner.includes('<')) return xmlText(inner);
  }
  return runsText(body);
}

function cellValue(t: string, s: string | undefined, body: string, p: Parts): string {
  if (t === 'inlineStr') return inlineText(body).trim();
  const raw = valueIn(body);
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
      return s && p.dates.has(Number(s)) ? serialDate(n, p.date1904) : String(n);
    }
  }
}

const isNameEnd = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 62 || c === 47;

/**
 * The rows of a run of sheet XML holding whole rows, scanned tag by tag with indexOf (no regular
 * expressions or objects per cell on the common path; namespace prefixes allowed). Attribute
 * values are assumed free of `>` (writers escape it), as any tag scanner of this kind does.
 */
function* rowsIn(xml: string, p: Parts, next: { row: number }): Generator<XlsxRow> {
  let i = 0;
  let cells: string[] | null = null;
  let row = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const closing = xml.charCodeAt(lt + 1) === 47;
    const from = closing ? lt + 2 : lt + 1;
    let k = from;
    while (k < xml.length && !isNameEnd(xml.charCodeAt(k))) k++;
    const qname = xml.slice(from, k);
    const colon = qname.indexOf(':');
    const name = colon >= 0 ? qname.slice(colon + 1) : qname;
    const gt = xml.indexOf('>', k);
    if (gt < 0) break;
    i = gt + 1;
    const empty = xml.charCodeAt(gt - 1) === 47;
    if (name === 'row') {
      if (closing) {
        if (cells) yield { row, cells };
        cells = null;
        continue;
      }
      const r = attr(xml.slice(k, gt), 'r');
      row = r ? Number(r) : next.row;
      next.row = row + 1;
      cells = [];
      if (empty) {
        yield { row, cells };
        cells = null;
      }
    } else if (name === 'c' && !closing && cells) {
      const a = xml.slice(k, empty ? gt - 1 : gt);
      const ref = attr(a, 'r');
      const col = ref ? columnOf(ref) : cells.length;
      while (cells.length < col) cells.push('');
      if (empty) {
        cells[col] = '';
        continue;
      }
      const close = `</${qname}>`;
      const end = xml.indexOf(close, i);
      if (end < 0) break;
      cells[col] = cellValue(attr(a, 't') ?? 'n', attr(a, 's'), xml.slice(i, end), p);
      i = end + close.length;
    }
  }
  if (cells) yield { row, cells };
}

/** Where the last whole row of `buf` ends (after its `</row>` or `</x:row>`), or -1. */
function lastRowEnd(buf: string): number {
  for (let at = buf.lastIndexOf('row>'); at > 1; at = buf.lastIndexOf('row>', at - 1)) {
    let b = at - 1;
    if (buf.charCodeAt(b) === 58) {
      // a prefix: walk back over its name to the `</`
      b--;
      while (b > 0 && !isNameEnd(buf.charCodeAt(b)) && buf.charCodeAt(b) !== 60) b--;
    }
    if (buf.charCodeAt(b) === 47 && buf.charCodeAt(b - 1) === 60) return at + 4;
  }
  return -1;
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
    const end = lastRowEnd(buf);
    if (end < 0) continue;
    yield* rowsIn(buf.slice(0, end), parts, next);
    buf = buf.slice(end);
  }
  yield* rowsIn(buf + decoder.decode(), parts, next);
}
