import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  constantProfile,
  ManualClock,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../test/platform.ts';
import { demoAreas, tenantId } from '../http/tests/archive-fixtures.ts';
import { addMeters } from '../services/readings/ingest-fixtures.ts';

// The integrator's worked example end to end (docs/plugins.md): the data-defined cooling energy
// meter (examples/meter-cooling, CJ/T 188 type 0x21) is loaded into a running platform through
// quadmeter.config.json, a meter of that kind is put on a simulated RS-485 line behind a TCP serial
// server, and a real-time read through transport-rs485 stores the simulator's values under the
// registers the data file declares.
const LINE = 'cool-bus';
const ADDRESS = '21000000000042';
const repoRoot = resolve(import.meta.dirname, '../../../..');

let dir: string;
let p: TestPlatform;
let admin: Client;
let bus: Rs485Bus;
let server: TcpSerialServer;
let meter: Cjt188Meter;

beforeAll(async () => {
  // chilled water: 7 °C out of the plant, 12 °C back, 1.2 m³/h (the simulator counts |ΔT|·flow)
  meter = new Cjt188Meter({
    type: CJT188_TYPES.cooling,
    address: ADDRESS,
    clock: new ManualClock(Date.now()),
    initialVolume: 310.5,
    initialHeat: 4321.25,
    flow: constantProfile(1.2),
    supplyTemp: 12,
    returnTemp: 7,
  });
  bus = new Rs485Bus({ baud: 2400, seed: 3 });
  bus.addDevice(new Cjt188Device(meter, 20));
  server = await startTcpSerialServer(bus);
  dir = await mkdtemp(join(tmpdir(), 'qm-cooling-'));
  const config = join(dir, 'quadmeter.config.json');
  await writeFile(config, JSON.stringify({ plugins: [join(repoRoot, 'examples/meter-cooling')] }));
  p = await startTestPlatform({
    QUADMETER_CONFIG: config,
    QUADMETER_SIMULATORS: 'off',
    QUADMETER_PLUGIN_TRANSPORT_RS485: JSON.stringify({ lines: { [LINE]: `tcp://127.0.0.1:${server.port}` } }),
  });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
}, 120_000);
afterAll(async () => {
  await p?.stop();
  await server?.close();
  bus?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the cooling meter of the integrator’s guide', () => {
  it('is read from a simulated meter through the config-loaded plugin, end to end', async () => {
    const plugins = (await admin.get('/api/v1/plugins')).body.items as { id: string; status: string }[];
    expect(plugins.find((x) => x.id === 'meter-cooling')?.status).toBe('running');
    const on = await admin.put('/api/v1/plugins/meter-cooling/tenant', { enabled: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const areas = await demoAreas(admin);
    const [id] = await addMeters(
      p.running.platform.db,
      { tenantId: await tenantId(p, 'demo'), areaId: areas['1单元'].id },
      [
        {
          kind: 'meter-cooling',
          protocol: 'cjt188',
          comm: ADDRESS,
          via: 'serial',
          line: LINE,
          digits: 8,
          initial: '4321.25',
        },
      ],
    );
    const task = await admin.post('/api/v1/reading-tasks', {
      target: 'meter',
      meterId: id,
      kind: 'realtime',
      rounds: 2,
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    const taskId = task.body.task.id;
    let status = '';
    for (let i = 0; i < 300 && status !== 'done' && status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await admin.get(`/api/v1/reading-tasks/${taskId}`)).body.task?.status ?? '';
    }
    expect(status).toBe('done');
    const readings = await admin.get(`/api/v1/meters/${id}/readings`);
    expect(readings.status).toBe(200);
    const [latest] = readings.body.items;
    const expected = meter.snapshot();
    expect(latest, JSON.stringify(readings.body)).toMatchObject({ kind: 'realtime' });
    const registers = latest.registers ?? {};
    expect(latest.value ?? registers.coolingEnergy).toBe(expected.heat.toFixed(2));
    // the other registers, as stored decimals
    expect(Number(registers.volume)).toBe(Number(expected.volume.toFixed(2)));
    expect(Number(registers.supplyTemperature)).toBe(12);
    expect(Number(registers.returnTemperature)).toBe(7);
  });
});
