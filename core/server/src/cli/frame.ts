import { createInterface } from 'node:readline';
import {
  bytesToHex,
  type FrameProtocol,
  frameProtocols,
  hexToBytes,
  isFrameProtocol,
  loadCodec,
  ProtocolError,
} from '@quadmeter/protocols';
import { parseCommand, text } from './args.ts';

const usage = `usage:
  quadmeter frame decode --protocol <${frameProtocols.join('|')}> <hex>   print the decoded frame as JSON
  quadmeter frame decode --protocol <p> --jsonl                  one hex frame per stdin line, one JSON per line
  quadmeter frame encode --protocol <p> '<json>'                 build a frame from JSON, print hex
  quadmeter frame encode --protocol <p> --jsonl                  one JSON object per stdin line, one result per line`;

type Outcome = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

function failure(e: unknown): Outcome {
  if (e instanceof ProtocolError) return { ok: false, error: e.toJSON() };
  if (e instanceof SyntaxError)
    return { ok: false, error: { code: 'ENCODE_INPUT_INVALID', message: e.message } };
  return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
}

function decodeOne(codec: { decode(b: Uint8Array): unknown }, hex: string): Outcome {
  try {
    return { ok: true, ...(codec.decode(hexToBytes(hex)) as object) };
  } catch (e) {
    return failure(e);
  }
}

function encodeOne(codec: { encode(i: unknown): Uint8Array }, json: string): Outcome {
  try {
    return { ok: true, hex: bytesToHex(codec.encode(JSON.parse(json))) };
  } catch (e) {
    return failure(e);
  }
}

export async function frameCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const parsed = parseCommand(`frame ${verb ?? ''}`.trim(), rest, {
    protocol: { type: 'string' },
    jsonl: { type: 'boolean' },
  });
  const positional = parsed.positionals;
  const protocol = text(parsed, 'protocol') ?? '';
  if ((verb !== 'decode' && verb !== 'encode') || !isFrameProtocol(protocol)) {
    console.error(usage);
    return 2;
  }
  const codec = await loadCodec(protocol as FrameProtocol);
  const run = verb === 'decode' ? (s: string) => decodeOne(codec, s) : (s: string) => encodeOne(codec, s);
  if (parsed.values.jsonl) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    const out: string[] = [];
    for await (const line of rl) {
      if (line.trim() === '') continue;
      out.push(JSON.stringify(run(line.trim())));
      if (out.length >= 256) process.stdout.write(`${out.splice(0).join('\n')}\n`);
    }
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }
  if (positional.length === 0) {
    console.error(usage);
    return 2;
  }
  const result = run(positional.join(verb === 'decode' ? '' : ' '));
  console.log(JSON.stringify(result, null, 2));
  return result.ok ? 0 : 1;
}
