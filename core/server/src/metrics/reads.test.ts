import { describe, expect, it } from 'vitest';
import { countReads } from './reads.ts';
import { registry } from './registry.ts';

async function series(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const found = metric?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return found?.value;
}

describe('read outcome metrics', () => {
  it('counts outcomes per transport and keeps the success ratio (ok, pushed and fallback count as read)', async () => {
    countReads([
      { outcome: 'ok', transport: 'transport-rs485' },
      { outcome: 'timeout', transport: 'transport-rs485' },
      { outcome: 'fallback_daily', transport: 'transport-rs485' },
      { outcome: 'checksum', transport: 'transport-rs485' },
      { outcome: 'pushed', transport: 'transport-lora' },
      { outcome: 'no_route' },
    ]);
    expect(await series('quadmeter_reads_total', { transport: 'transport-rs485', outcome: 'timeout' })).toBe(
      1,
    );
    expect(await series('quadmeter_read_success_ratio', { transport: 'transport-rs485' })).toBe(0.5);
    expect(await series('quadmeter_read_success_ratio', { transport: 'transport-lora' })).toBe(1);
    expect(await series('quadmeter_read_success_ratio', { transport: 'none' })).toBe(0);
  });
});
