export * from './errors.ts';
export { type AnomalyRule, type AnomalyRuleType, anomalyRuleSchema } from './kinds/anomaly-rule.ts';
export { type AnyPlugin, type PluginOfKind, validatePlugin } from './kinds/any-plugin.ts';
export {
  type DisplayUnit,
  defineMeterType,
  type IssueSeverity,
  type Medium,
  type MeterReplacement,
  type MeterTypePlugin,
  type ReadingIssue,
  type RegisterDef,
  type RegisterKind,
  type StatusFieldDef,
  type StatusFlags,
  type Usage,
  type UsageOptions,
  type ValidateOptions,
} from './kinds/meter-type.ts';
export {
  cjt188Registers,
  type DataMeterType,
  type MeterTypeData,
  type MeterTypeProtocols,
  meterTypeDataSchema,
  meterTypeFromData,
  meterTypeJsonSchema,
} from './kinds/meter-type-data.ts';
export { meterTypeShapeSchema, registerDefSchema } from './kinds/meter-type-schema.ts';
export {
  type Disposition,
  defineNotifier,
  type NotifierPlugin,
  type NotifyMessage,
  notifierShapeSchema,
  type SendResult,
} from './kinds/notifier.ts';
export {
  type CreatedOrder,
  definePayment,
  type OrderRequest,
  type PayAction,
  type PaymentOutcome,
  type PaymentPlugin,
  type PaymentStatus,
  paymentShapeSchema,
  type RefundRequest,
  type RefundResult,
  type Statement,
  type StatementLine,
  type VerifiedNotification,
} from './kinds/payment.ts';
export {
  DECIMAL_PATTERN,
  type GatewayAddress,
  type IngestOutcome,
  type IngestReason,
  type MeterReading,
  type MeterRef,
  type MeterRoute,
  meterRouteSchema,
  type RawReading,
  type ReadingKind,
  type RegisterQuality,
  rawReadingSchema,
  readingKinds,
  registerQualities,
  type StatusWord,
} from './kinds/reading.ts';
export { SENT_LOG_LIMIT, SENT_LOG_TTL_MS, SentLog, stateFor } from './kinds/sent-log.ts';
export {
  type ControlAction,
  type ControlCommand,
  type ControlResult,
  type ControlState,
  type ControlStatus,
  type ControlUpdate,
  controlActions,
  type DownloadResult,
  defineTransport,
  type GatewayMeterRecord,
  type GatewayReadingPlan,
  type GatewayRef,
  type LineRef,
  type MeterTarget,
  type PollTransport,
  type PushTransport,
  type ReadKind,
  type ReadRequest,
  type ReadResult,
  type TransportFailure,
  type TransportPlugin,
  transportShapeSchema,
} from './kinds/transport.ts';
export { type BitTableStatus, bitTableStatus, protocolStatus } from './meter/bit-table-status.ts';
export { isAcceptable, type ReadingCheckOptions, readingIssues } from './meter/checks.ts';
export {
  type CounterSpec,
  type CounterStep,
  counterStep,
  fromUnits,
  ROLLOVER_SHARE,
  rolloverMaxForDigits,
  toUnits,
} from './meter/counter.ts';
export { counterGrowth } from './meter/counter-growth.ts';
export { cumulativeRollovers } from './meter/cumulative-rollovers.ts';
export { type BitField, bitTableProblems, decodeBits, statusFieldsOf } from './meter/status-bits.ts';
export { type CumulativeUsageOptions, cumulativeUsage } from './meter/usage.ts';
export {
  batteryVoltageRegister,
  CLOSED_VALVE_TOLERANCE,
  type ClosedValveUsage,
  cjt188StatusTable,
  closedValveUsageIssues,
  mbusStatusTable,
  valveMeterStatusRules,
  valveRegister,
} from './meter/valve-meter.ts';
export { type Decimal, parseDecimal } from './money/decimal.ts';
export {
  assertFen,
  type Fen,
  isFen,
  MAX_PRICE_DECIMALS,
  MAX_QUANTITY_DECIMALS,
  Money,
} from './money/money.ts';
export { divRound, type Rounding, roundingModes } from './money/rounding.ts';
export {
  API_VERSION_RULE,
  apiVersionProblem,
  SDK_API_VERSION,
  SDK_MIN_API_VERSION,
} from './plugin/api-version.ts';
export type {
  CoreApi,
  GatewayOutcome,
  HealthResult,
  IngestResult,
  PluginContext,
  PluginSetupApi,
  QueueHandler,
  QueueJob,
  SetupContext,
} from './plugin/context.ts';
export {
  kindPrefix,
  PLUGIN_ID_PATTERN,
  type PluginHeader,
  type PluginKind,
  pluginHeaderSchema,
  pluginKinds,
} from './plugin/header.ts';
export type {
  HookOptions,
  HookRouter,
  HttpMethod,
  PluginRequest,
  PluginResponse,
  RouteHandler,
  RouteOptions,
} from './plugin/http.ts';
export { fieldIssues, issuePath } from './plugin/issues.ts';
export { type LocalizedText, localizedTextSchema } from './plugin/localized.ts';
export type { LogFn, Logger } from './plugin/logger.ts';
export {
  isSecret,
  isUnchangedSecret,
  keepSecrets,
  mapSecrets,
  REDACTED,
  redact,
  secret,
  secretPaths,
} from './plugin/secret.ts';
export { type SettingMeta, settingMeta } from './plugin/setting-meta.ts';
