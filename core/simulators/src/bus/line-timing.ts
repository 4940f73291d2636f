/** RS-485 and M-Bus meters use 8E1: start + 8 data + parity + stop = 11 bit times per byte. */
export const BITS_PER_BYTE_8E1 = 11;

/** Time on the wire of one byte, ms. */
export function byteTimeMs(baud: number, bitsPerByte = BITS_PER_BYTE_8E1): number {
  if (!(baud > 0)) throw new Error(`baud must be positive, got ${baud}`);
  return (bitsPerByte * 1000) / baud;
}

/** Time on the wire of `n` bytes, ms. */
export function frameTimeMs(n: number, baud: number, bitsPerByte = BITS_PER_BYTE_8E1): number {
  return n * byteTimeMs(baud, bitsPerByte);
}

/**
 * Superimposes transmissions that overlap in time. On a shared differential pair two drivers
 * fighting each other leave a level that neither intended; a dominant-zero AND of the byte slots
 * is used as the model, which corrupts every slot where the talkers differ.
 */
export function superimpose(parts: readonly { offset: number; bytes: Uint8Array }[]): Uint8Array {
  let len = 0;
  for (const p of parts) len = Math.max(len, p.offset + p.bytes.length);
  const out = new Uint8Array(len).fill(0xff);
  for (const p of parts) for (let i = 0; i < p.bytes.length; i++) out[p.offset + i] &= p.bytes[i];
  return out;
}
