import { hexToBytes, sum8 } from '../common/bytes.ts';
import { onlyProtocolErrors } from '../common/fuzz-support.ts';
import { fixtures } from './fixtures.ts';

/** Helpers shared by the Q/GDW 1376.1 tests. */
export const addr = { A1_region: '3501', A2_terminal: 1, A3_master: 2 };
export const fx = (name: string) =>
  hexToBytes((fixtures.find((f) => f.name.startsWith(name)) ?? fixtures[0]).hex);

/** Recomputes L (both copies) and CS after editing the user data of a frame. */
export function reframe(user: number[], protocolId = 2): Uint8Array {
  const l = (user.length << 2) | protocolId;
  return Uint8Array.from([
    0x68,
    l & 0xff,
    l >> 8,
    l & 0xff,
    l >> 8,
    0x68,
    ...user,
    sum8(Uint8Array.from(user)),
    0x16,
  ]);
}

/** The ProtocolError code `f` throws, or undefined when it completes; any other error is rethrown. */
export function codeOf(f: () => unknown): string | undefined {
  return onlyProtocolErrors(f);
}
