import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes every zip chunk on its own (`TextDecoder.decode(chunk)`
 * without `stream: true`), so a Chinese character whose UTF-8 bytes straddle two chunks of a
 * worksheet or of the shared strings turns into U+FFFD — `2号楼` arrives as `2号��`. Its SAX
 * wrapper passes strings through untouched, so the worksheet and shared-strings streams are handed
 * to it already decoded, by a decoder that carries partial characters over to the next chunk.
 */
type Reader = {
  _parseWorksheet(iterable: AsyncIterable<Buffer | string>, sheetNo: string): AsyncGenerator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  __utf8Streamed?: true;
};

async function* decoded(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks)
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Reader;
if (!proto.__utf8Streamed) {
  const parseWorksheet = proto._parseWorksheet;
  const parseSharedStrings = proto._parseSharedStrings;
  proto._parseWorksheet = function (iterable, sheetNo) {
    return parseWorksheet.call(this, decoded(iterable), sheetNo);
  };
  proto._parseSharedStrings = function (entry) {
    // a Node stream decodes across chunk boundaries once it has an encoding
    entry.setEncoding('utf8');
    return parseSharedStrings.call(this, entry);
  };
  proto.__utf8Streamed = true;
}
