import { AppError } from '@quadmeter/sdk';

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image type the bytes' magic number names, or null. */
export function sniffImage(b: Buffer): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG.every((x, i) => b[i] === x)) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * The photo's bytes from its base64 text, checked: at most 2 MiB (FIELD_PHOTO_TOO_LARGE) and an
 * image of the declared type by its magic bytes (FIELD_PHOTO_INVALID) — the declared type alone is
 * never trusted.
 */
export function decodePhoto(photo: { type: PhotoType; data: string }): { type: PhotoType; bytes: Buffer } {
  const bytes = Buffer.from(photo.data, 'base64');
  if (bytes.length > PHOTO_MAX_BYTES)
    throw new AppError('FIELD_PHOTO_TOO_LARGE', undefined, { size: bytes.length });
  const sniffed = sniffImage(bytes);
  if (sniffed === null || sniffed !== photo.type)
    throw new AppError('FIELD_PHOTO_INVALID', undefined, { declared: photo.type, sniffed });
  return { type: sniffed, bytes };
}
