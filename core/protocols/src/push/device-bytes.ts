import { decode as decodeCjt188 } from '../cjt188/index.ts';
import { bytesToHex, hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import type { DeviceDecode } from './types.ts';

export type FrameGuess = 'cjt188' | 'dlt645' | 'mbus';

/**
 * Which serial frame the bytes look like, by shape and checksum (FE preamble allowed):
 * - CJ/T 188: 68 T A0..A6 C L … CS 16, 13 + L bytes, CS over 68..data
 * - DL/T 645: 68 A0..A5 68 C L … CS 16, 12 + L bytes, CS over 68..data
 * - M-Bus long frame: 68 L L 68 C A CI … CS 16, 6 + L bytes, CS over C..data; short frame
 *   10 C A CS 16; single character E5
 */
export function sniffFrame(b: Uint8Array): FrameGuess[] {
  const out: FrameGuess[] = [];
  let p = 0;
  while (p < b.length && b[p] === 0xfe) p++;
  const n = b.length - p;
  const last = b[b.length - 1];
  if (n === 1 && b[p] === 0xe5) return ['mbus'];
  if (n === 5 && b[p] === 0x10 && last === 0x16 && sum8(b, p + 1, p + 3) === b[p + 3]) return ['mbus'];
  if (n < 9 || b[p] !== 0x68 || last !== 0x16) return out;
  const cs = b[b.length - 2];
  if (b[p + 1] === b[p + 2] && b[p + 3] === 0x68 && n === b[p + 1] + 6 && sum8(b, p + 4, b.length - 2) === cs)
    out.push('mbus');
  if (n >= 12 && b[p + 7] === 0x68 && n === 12 + b[p + 9] && sum8(b, p, b.length - 2) === cs)
    out.push('dlt645');
  if (n >= 13 && n === 13 + b[p + 10] && sum8(b, p, b.length - 2) === cs) out.push('cjt188');
  return out;
}

/**
 * Frames that start after the FE preamble but are followed by trailing noise (a module's CR LF,
 * padding): the protocol and where its end byte 16 is, by L and checksum. Only consulted when
 * the bytes are not one whole frame.
 */
function framesWithTrailingNoise(b: Uint8Array): { guess: FrameGuess; end: number }[] {
  const out: { guess: FrameGuess; end: number }[] = [];
  let p = 0;
  while (p < b.length && b[p] === 0xfe) p++;
  if (b.length - p < 9 || b[p] !== 0x68) return out;
  const at = (end: number, from: number) =>
    end <= b.length && b[end - 1] === 0x16 && sum8(b, from, end - 2) === b[end - 2];
  const mbusEnd = p + b[p + 1] + 6;
  if (b[p + 1] === b[p + 2] && b[p + 3] === 0x68 && at(mbusEnd, p + 4))
    out.push({ guess: 'mbus', end: mbusEnd });
  const dltEnd = p + 12 + b[p + 9];
  if (b[p + 7] === 0x68 && at(dltEnd, p)) out.push({ guess: 'dlt645', end: dltEnd });
  const cjtEnd = p + 13 + (b[p + 10] ?? 0);
  if (b.length - p >= 13 && at(cjtEnd, p)) out.push({ guess: 'cjt188', end: cjtEnd });
  return out;
}

type Decoder = (b: Uint8Array) => unknown;
interface CodecModule {
  codec?: { decode: Decoder };
  decode?: Decoder;
}

/** DL/T 645 and M-Bus are loaded at the point of use, so a missing codec is a result, not a crash. */
async function loadDecoder(p: FrameGuess): Promise<Decoder | undefined> {
  if (p === 'cjt188') return decodeCjt188;
  try {
    let mod: CodecModule;
    if (p === 'dlt645') mod = await import('../dlt645/index.ts');
    else if (p === 'mbus') mod = await import('../mbus/index.ts');
    else return undefined;
    const d = mod.codec?.decode ?? mod.decode;
    return typeof d === 'function' ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the frame codec for device bytes carried by a push and decodes them. Never throws for
 * bytes it cannot read: the result says `unknown`, with the candidate and the codec's error code.
 * `hint` skips sniffing (a transport that knows its meters' protocol).
 */
export async function decodeDeviceBytes(
  input: Uint8Array | string,
  hint?: FrameGuess,
): Promise<DeviceDecode> {
  const bytes = typeof input === 'string' ? (input === '' ? new Uint8Array(0) : hexToBytes(input)) : input;
  const hex = bytesToHex(bytes);
  const guesses = hint ? [hint] : sniffFrame(bytes);
  const tries = guesses.map((guess) => ({ guess, end: bytes.length }));
  // bytes after the end byte are noise: decode the frame before them (kept in `trailing`)
  for (const t of framesWithTrailingNoise(bytes))
    if (t.end < bytes.length && (!hint || t.guess === hint)) tries.push(t);
  let failure: DeviceDecode = { protocol: 'unknown', hex };
  for (const { guess: g, end } of tries) {
    const decode = await loadDecoder(g);
    if (!decode) {
      failure = { protocol: 'unknown', hex, candidate: g, reason: 'CODEC_UNAVAILABLE' };
      continue;
    }
    try {
      const frame = decode(bytes.subarray(0, end));
      return end < bytes.length
        ? { protocol: g, frame, trailing: bytesToHex(bytes.subarray(end)) }
        : { protocol: g, frame };
    } catch (e) {
      failure = {
        protocol: 'unknown',
        hex,
        candidate: g,
        reason: e instanceof ProtocolError ? e.code : 'CODEC_FAILED',
      };
    }
  }
  return failure;
}
