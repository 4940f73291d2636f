export { type MqttBroker, type MqttBrokerOptions, startMqttBroker } from './broker/mqtt-broker.ts';
export type { BusDevice } from './bus/bus-device.ts';
export { BITS_PER_BYTE_8E1, byteTimeMs, frameTimeMs, superimpose } from './bus/line-timing.ts';
export { type ByteLink, connectTcp, type Exchange, exchange } from './bus/master-link.ts';
export { type Population, populateBus, simAddress } from './bus/populate.ts';
export { type PtyPair, startPtyPair } from './bus/pty-pair.ts';
export { type BusStats, Rs485Bus, type Rs485BusOptions } from './bus/rs485-bus.ts';
export { type AttachedPort, attachSerialPort } from './bus/serial-port-attach.ts';
export { type SerialLine, startTcpSerialServer, type TcpSerialServer } from './bus/tcp-serial-server.ts';
export { simCommand } from './cli.ts';
export {
  type ConcentratorOptions,
  ConcentratorSim,
  type ConcentratorState,
} from './concentrator/concentrator-sim.ts';
export { type MeterEntry, MeterTable } from './concentrator/meter-table.ts';
export { bitsPerChar, type PortStats, portBusyMs } from './concentrator/port-timing.ts';
export {
  type ForwardRecord,
  type ResponderContext,
  respond as respondAsConcentrator,
} from './concentrator/responder.ts';
export { TestMaster } from './concentrator/test-master.ts';
export { attachWaterMeters, type WaterMeterOptions, waterAddress } from './concentrator/water-meters.ts';
export { Cjt188Device, cjt188AddressMatches } from './meters/cjt188-device.ts';
export {
  CJT188_TYPES,
  Cjt188Meter,
  type Cjt188MeterOptions,
  type FlowSnapshot,
  type HeatBody,
} from './meters/cjt188-meter.ts';
export { Dlt645Device, dlt645AddressMatches } from './meters/dlt645-device.ts';
export { value1997, value2007 } from './meters/dlt645-values.ts';
export { ElectricityMeter, type ElectricityMeterOptions } from './meters/electricity-meter.ts';
export * from './meters/electricity-types.ts';
export { HistoryStore } from './meters/history-store.ts';
export { constantProfile, householdProfile, type LoadProfile } from './meters/load-profile.ts';
export { MbusDevice, mbusIdMatches } from './meters/mbus-device.ts';
export { MBUS_MEDIA, MbusMeter, type MbusMeterOptions } from './meters/mbus-meter.ts';
export { DEFAULT_TARIFF_SCHEDULE, type TariffSchedule, tariffAt } from './meters/tariff-schedule.ts';
export { type ReportingMeter, reportBytes } from './pushers/device-report.ts';
export { type LoraDevice, LoraPusher, type LoraPusherOptions } from './pushers/lora-pusher.ts';
export { NbPlatformSim, type NbPlatformSimOptions } from './pushers/nbiot-platform.ts';
export type { CachedCommand, PlatformCredentials } from './pushers/nbiot-platform-api.ts';
export {
  type NbDevice,
  NbiotPusher,
  type NbiotPusherOptions,
  type NbPlatform,
  type PushResult,
} from './pushers/nbiot-pusher.ts';
export { type Clock, HeldClock, ManualClock, systemClock } from './time/clock.ts';
export { createPrng, type Prng } from './time/prng.ts';
export { DEFAULT_UTC_OFFSET_MIN, fromWallTime, toWallTime, type WallTime } from './time/wall-time.ts';
