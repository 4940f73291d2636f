import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';

/**
 * A device on the simulated RS-485 line. Devices that share `protocol` share one frame extractor,
 * so each frame on the line is cut once and offered to every device of that protocol.
 */
export interface BusDevice {
  /** framing family: 'dlt645' | 'cjt188' | 'mbus' */
  readonly protocol: string;
  /** response delay Td after the end of the request, ms */
  readonly latencyMs: number;
  /** a short label for logs and the CLI listing */
  readonly label: string;
  createExtractor(): FrameExtractor;
  /** Handles one complete frame seen on the line; returns the reply bytes, or null to stay silent. */
  handle(frame: Uint8Array): Uint8Array | null;
}
