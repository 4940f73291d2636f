import meterGas from '@quadmeter/meter-gas';
import meterHeat from '@quadmeter/meter-heat';
import meterPower from '@quadmeter/meter-power';
import meterWater from '@quadmeter/meter-water';
import type { AnyPlugin } from '@quadmeter/sdk';
import transportLora from '@quadmeter/transport-lora';
import transportNbiot from '@quadmeter/transport-nbiot';

/** The one explicit list of plugins this build ships. */
export const installedPlugins: readonly AnyPlugin[] = [
  meterWater,
  meterPower,
  meterGas,
  meterHeat,
  transportNbiot,
  transportLora,
];
