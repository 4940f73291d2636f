// Decode throughput per codec, next to a baseline measured in the same run over the same bytes:
// a checksum-only pass (sum of the bytes a frame's checksum covers). The ratio shows what full
// decoding costs on top of touching every byte once.
//   npm run bench -- protocols [seconds-per-measurement]
import { fixtures as cjt188 } from '../core/protocols/src/cjt188/fixtures.ts';
import { decode as decodeCjt188 } from '../core/protocols/src/cjt188/index.ts';
import { hexToBytes, sum8 } from '../core/protocols/src/common/index.ts';
import { fixtures as dlt645 } from '../core/protocols/src/dlt645/fixtures.ts';
import { decodeFrame as decodeDlt645 } from '../core/protocols/src/dlt645/index.ts';
import { fixtures as gdw1376 } from '../core/protocols/src/gdw1376/fixtures.ts';
import { decode as decodeGdw1376 } from '../core/protocols/src/gdw1376/index.ts';
import { fixtures as mbus } from '../core/protocols/src/mbus/fixtures.ts';
import { decode as decodeMbus } from '../core/protocols/src/mbus/index.ts';

const seconds = Number(process.argv[2] ?? 1);

interface Case {
  name: string;
  frames: Uint8Array[];
  decode: (b: Uint8Array) => unknown;
}

function framesOf(
  list: { hex: string; expect?: Record<string, unknown> }[],
  decode: (b: Uint8Array) => unknown,
): Uint8Array[] {
  // only frames the codec accepts, so the bench measures decoding, not error paths
  return list
    .map((f) => hexToBytes(f.hex))
    .filter((b) => {
      try {
        decode(b);
        return true;
      } catch {
        return false;
      }
    });
}

const cases: Case[] = [
  { name: 'dlt645', frames: framesOf(dlt645, decodeDlt645), decode: decodeDlt645 },
  { name: 'cjt188', frames: framesOf(cjt188, decodeCjt188), decode: decodeCjt188 },
  { name: 'mbus', frames: framesOf(mbus, decodeMbus), decode: decodeMbus },
  { name: 'gdw1376', frames: framesOf(gdw1376, decodeGdw1376), decode: decodeGdw1376 },
];

/** Baseline: find the start byte, sum everything up to the checksum, compare, check the end byte. */
function checksumOnly(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length && b[i] === 0xfe) i++;
  return sum8(b, i, b.length - 2) === b[b.length - 2] && b[b.length - 1] === 0x16;
}

function rate(frames: Uint8Array[], fn: (b: Uint8Array) => unknown): number {
  let sink = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 64; k++) {
      for (const f of frames) {
        if (fn(f)) sink++;
        n++;
      }
    }
  }
  if (sink < 0) console.log(sink);
  return n / seconds;
}

console.log(`frame decode throughput, ${seconds} s per measurement, Node ${process.version}`);
console.log('codec     frames  bytes/frame  decode frames/s  checksum-only frames/s  decode ÷ baseline');
for (const c of cases) {
  rate(c.frames, c.decode); // warm up
  const baseline = rate(c.frames, checksumOnly);
  const decoded = rate(c.frames, c.decode);
  const avgBytes = c.frames.reduce((s, f) => s + f.length, 0) / c.frames.length;
  console.log(
    `${c.name.padEnd(9)} ${String(c.frames.length).padStart(6)}  ${avgBytes.toFixed(1).padStart(11)}  ${Math.round(
      decoded,
    )
      .toLocaleString('en')
      .padStart(
        15,
      )}  ${Math.round(baseline).toLocaleString('en').padStart(22)}  ${(decoded / baseline).toFixed(3).padStart(17)}`,
  );
}
