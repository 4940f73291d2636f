import { meterTypeFromData } from '@quadmeter/sdk';
import data from '../meter-cooling.json' with { type: 'json' };

/** The cooling energy meter (冷量表) over CJ/T 188, defined as data in meter-cooling.json. */
export default meterTypeFromData(data);
