export { type CommonContractOptions, describeCommonContract } from './common-contract.ts';
export { describeMeterTypeContract, type MeterTypeContractOptions } from './meter-type-contract.ts';
export {
  describeNotifierContract,
  type NotifierContractOptions,
  type NotifierHarness,
} from './notifier-contract.ts';
export { describePaymentContract, type PaymentContractOptions } from './payment-contract.ts';
export { checkOrSkip, within } from './skip.ts';
export {
  type Declared,
  type LogEntry,
  makeSetupContext,
  makeTestContext,
  recordingLogger,
  TEST_TENANT_ID,
  type TestContext,
} from './test-context.ts';
export {
  describeTransportContract,
  type PushHarness,
  type TransportContractOptions,
  type TransportHarness,
} from './transport-contract.ts';
