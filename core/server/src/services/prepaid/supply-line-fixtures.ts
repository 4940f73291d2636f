// Test helper of prepaid: a simulated RS-485 line behind a TCP serial server with the two meters a
// prepaid customer is cut and reconnected through — a DL/T 645-2007 meter with a relay and a
// CJ/T 188 cold-water meter with a valve.
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  type Clock,
  constantProfile,
  Dlt645Device,
  ElectricityMeter,
  Rs485Bus,
  startTcpSerialServer,
} from '@quadmeter/simulators';

export interface SupplyLine {
  power: ElectricityMeter;
  water: Cjt188Meter;
  /** `tcp://127.0.0.1:<port>`, for transport-rs485's `lines` */
  url: string;
  close(): Promise<void>;
}

export async function startSupplyLine(o: {
  clock: Clock;
  power: { address: string; initialEnergy: number; kw?: number };
  water: { address: string; initialVolume: number; m3h?: number };
  seed?: number;
}): Promise<SupplyLine> {
  const bus = new Rs485Bus({ baud: 2400, seed: o.seed ?? 7 });
  const power = new ElectricityMeter({
    address: o.power.address,
    clock: o.clock,
    initialEnergy: o.power.initialEnergy,
    ...(o.power.kw !== undefined && { load: constantProfile(o.power.kw) }),
  });
  const water = new Cjt188Meter({
    type: CJT188_TYPES.coldWater,
    address: o.water.address,
    clock: o.clock,
    initialVolume: o.water.initialVolume,
    ...(o.water.m3h !== undefined && { flow: constantProfile(o.water.m3h) }),
  });
  bus.addDevice(new Dlt645Device(power, 20));
  bus.addDevice(new Cjt188Device(water, 20));
  const server = await startTcpSerialServer(bus);
  return {
    power,
    water,
    url: `tcp://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      bus.close();
    },
  };
}
