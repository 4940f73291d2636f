/**
 * Serial-line helpers for poll transports: line keys and timing, one talker per line, frame
 * exchange with retries and stable failure codes. `serialport` is not a dependency of the SDK: a
 * transport hands `LinePool` a loader that imports it, so only `tty:` lines load the native addon.
 */
export {
  type ByteLink,
  openTcpLink,
  openTtyLink,
  type SerialPortLike,
  type SerialPortLoader,
  type SerialPortModule,
} from './byte-link.ts';
export { decimalString, scaledDecimal } from './decimal.ts';
export {
  type ExchangeStats,
  type FrameExchange,
  hasBadSum,
  type Splitter,
  sendOnly,
  transact,
  withWake,
} from './exchange.ts';
export { type SerialFailureCode, TransportError, toFailure } from './failure.ts';
export { idempotencyKey } from './idempotency.ts';
export {
  frameTimeoutMs,
  LineParamsError,
  lineKey,
  meterLine,
  parseLineParams,
  type SerialLineParams,
  wireMs,
} from './line-params.ts';
export { LinePool, type LinePoolOptions } from './line-pool.ts';
export {
  daysBetween,
  monthsBetween,
  startOf,
  today,
  wallOf,
  wallString,
  wallToIso,
} from './meter-time.ts';
export { type ReadMeter, readLine } from './read-line.ts';
