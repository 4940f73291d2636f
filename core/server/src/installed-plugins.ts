import meterGas from '@quadmeter/meter-gas';
import meterHeat from '@quadmeter/meter-heat';
import meterPower from '@quadmeter/meter-power';
import meterWater from '@quadmeter/meter-water';
import notifierEmail from '@quadmeter/notifier-email';
import notifierSms from '@quadmeter/notifier-sms';
import notifierWechat from '@quadmeter/notifier-wechat';
import paymentAlipay from '@quadmeter/payment-alipay';
import paymentCash from '@quadmeter/payment-cash';
import paymentUnionpay from '@quadmeter/payment-unionpay';
import paymentWechat from '@quadmeter/payment-wechat';
import type { AnyPlugin } from '@quadmeter/sdk';
import transportGdw1376 from '@quadmeter/transport-gdw1376';
import transportLora from '@quadmeter/transport-lora';
import transportMbus from '@quadmeter/transport-mbus';
import transportNbiot from '@quadmeter/transport-nbiot';
import transportRs485 from '@quadmeter/transport-rs485';

/** The one explicit list of plugins this build ships. */
export const installedPlugins: readonly AnyPlugin[] = [
  meterWater,
  meterPower,
  meterGas,
  meterHeat,
  transportGdw1376,
  transportRs485,
  transportMbus,
  transportNbiot,
  transportLora,
  paymentCash,
  paymentWechat,
  paymentAlipay,
  paymentUnionpay,
  notifierWechat,
  notifierEmail,
  notifierSms,
];
