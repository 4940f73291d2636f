import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import { makeTestContext } from '@quadmeter/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, type Gdw1376Config } from './config.ts';
import plugin from './index.ts';
import { masterOf } from './runtime.ts';
import {
  A1,
  collect,
  rawTerminal,
  request,
  type Started,
  startMaster,
  startSim,
  waitUntil,
} from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function master(...args: Parameters<typeof startMaster>): Promise<Started> {
  const m = await startMaster(...args);
  cleanups.push(() => m.stop());
  return m;
}

const decodeAll = (chunks: Buffer[]): gdw.GdwFrame[] => {
  const x = gdw.extractor();
  return x.push(new Uint8Array(Buffer.concat(chunks))).frames.map((b) => gdw.decodeFrame(b));
};

describe('link: login, heartbeat, logout', () => {
  it('confirms the login, records online and each heartbeat, and marks a dropped link offline', async () => {
    const m = await master();
    const sim = startSim(m.port, 7);
    cleanups.push(() => sim.stop());
    await waitUntil(() => sim.state === 'logged-in');
    expect(m.gatewayEvents[0]).toMatchObject({ a1: A1, a2: 7, online: true, heartbeat: false });
    await waitUntil(() => m.gatewayEvents.filter((e) => e.heartbeat).length >= 2);
    const beat = m.gatewayEvents.find((e) => e.heartbeat);
    expect(beat).toMatchObject({ a1: A1, a2: 7, online: true });
    expect(Date.parse(beat?.at ?? '')).toBeGreaterThan(Date.now() - 10_000);
    expect(masterOf(m.ctx)?.online).toBe(1);
    sim.dropLink();
    await waitUntil(() => m.gatewayEvents.some((e) => !e.online));
    expect(m.gatewayEvents.at(-1)).toMatchObject({ a1: A1, a2: 7, online: false, heartbeat: false });
    expect(masterOf(m.ctx)?.online).toBe(0);
  });

  it('answers login and heartbeat with AFN 00 F3 confirming AFN 02, C = 0B, RSEQ = PSEQ', async () => {
    const m = await master();
    const t = await rawTerminal(m.port);
    cleanups.push(async () => void t.socket.destroy());
    const addr = { A1_region: A1, A2_terminal: 9 };
    t.socket.write(gdw.buildLogin(addr, 5));
    await waitUntil(() => decodeAll(t.received).length === 1);
    t.socket.write(gdw.buildHeartbeat(addr, 6, '2026-06-14 10:00:00'));
    await waitUntil(() => decodeAll(t.received).length === 2);
    const [login, beat] = decodeAll(t.received);
    expect(login).toMatchObject({ c: '0B', afn: '00', seq: { pseq: 5 } });
    expect(login.units[0]).toMatchObject({
      fn: 3,
      data: { afn: '02', items: [{ pns: [0], fns: [1], err: 0 }] },
    });
    expect(beat.seq.pseq).toBe(6);
    expect(beat.units[0]).toMatchObject({ fn: 3, data: { afn: '02', items: [{ fns: [3], err: 0 }] } });
  });

  it('a heartbeat on a link that never logged in (kept across a master restart) admits the terminal', async () => {
    const m = await master();
    const t = await rawTerminal(m.port);
    cleanups.push(async () => void t.socket.destroy());
    t.socket.write(gdw.buildHeartbeat({ A1_region: A1, A2_terminal: 16 }, 9));
    await waitUntil(() => decodeAll(t.received).length === 1);
    expect(decodeAll(t.received)[0].units[0]).toMatchObject({
      data: { afn: '02', items: [{ fns: [3], err: 0 }] },
    });
    expect(m.gatewayEvents).toEqual([expect.objectContaining({ a2: 16, online: true, heartbeat: true })]);
    expect(masterOf(m.ctx)?.online).toBe(1);
  });

  it('logout is confirmed, marks the concentrator offline once and closes the link', async () => {
    const m = await master();
    const t = await rawTerminal(m.port);
    const addr = { A1_region: A1, A2_terminal: 11 };
    t.socket.write(gdw.buildLogin(addr, 1));
    await waitUntil(() => masterOf(m.ctx)?.online === 1);
    const closed = new Promise<void>((r) => t.socket.once('close', () => r()));
    t.socket.write(gdw.buildLogout(addr, 2));
    await closed;
    const frames = decodeAll(t.received);
    expect(frames.at(-1)?.units[0]).toMatchObject({
      fn: 3,
      data: { afn: '02', items: [{ fns: [2], err: 0 }] },
    });
    await waitUntil(() => masterOf(m.ctx)?.connections === 0);
    expect(m.gatewayEvents.filter((e) => !e.online)).toHaveLength(1);
  });

  it('denies a concentrator no enabled tenant has, logs it, closes its link and keeps serving others', async () => {
    const m = await master({}, { unknown: (_a1, a2) => a2 === 99 });
    const t = await rawTerminal(m.port);
    const closed = new Promise<void>((r) => t.socket.once('close', () => r()));
    t.socket.write(gdw.buildLogin({ A1_region: A1, A2_terminal: 99 }, 3));
    await closed;
    const [deny] = decodeAll(t.received);
    expect(deny).toMatchObject({ afn: '00', seq: { pseq: 3 } });
    expect(deny.units[0]).toMatchObject({ fn: 3, data: { afn: '02', items: [{ fns: [1], err: 1 }] } });
    expect(
      m.logs.some((l) => l.level === 'warn' && (l.obj as { gateway?: string })?.gateway === `${A1}-99`),
    ).toBe(true);
    expect(masterOf(m.ctx)?.online).toBe(0);
    const sim = startSim(m.port, 1);
    cleanups.push(() => sim.stop());
    await waitUntil(() => sim.state === 'logged-in');
  });

  it('one sweep drops a logged-in link that stopped talking and a connection that never logged in', async () => {
    const m = await master({ heartbeatTimeoutSec: 1, loginTimeoutSec: 1, sweepIntervalSec: 0.1 });
    const silent = await rawTerminal(m.port);
    const mute = await rawTerminal(m.port);
    silent.socket.write(gdw.buildLogin({ A1_region: A1, A2_terminal: 12 }, 1));
    await waitUntil(() => masterOf(m.ctx)?.online === 1);
    const gone = (s: typeof silent) => new Promise<void>((r) => s.socket.once('close', () => r()));
    await Promise.all([gone(silent), gone(mute)]);
    await waitUntil(() => masterOf(m.ctx)?.connections === 0);
    expect(m.gatewayEvents.at(-1)).toMatchObject({ a2: 12, online: false });
  });

  it('a link that drops while the core records its login ends offline, in that order', async () => {
    const m = await master();
    const online = m.ctx.core.gatewayOnline.bind(m.ctx.core);
    m.ctx.core.gatewayOnline = async (g, on, at) => {
      if (on) await new Promise((r) => setTimeout(r, 100));
      return online(g, on, at);
    };
    const t = await rawTerminal(m.port);
    t.socket.write(gdw.buildLogin({ A1_region: A1, A2_terminal: 15 }, 1));
    await new Promise((r) => setTimeout(r, 20));
    t.socket.destroy();
    await waitUntil(() => m.gatewayEvents.length === 2);
    expect(m.gatewayEvents.map((e) => e.online)).toEqual([true, false]);
    expect(masterOf(m.ctx)?.online).toBe(0);
  });

  it('stopping the master station waits until the offline of each open link is recorded', async () => {
    const m = await startMaster();
    const online = m.ctx.core.gatewayOnline.bind(m.ctx.core);
    m.ctx.core.gatewayOnline = async (g, on, at) => {
      if (!on) await new Promise((r) => setTimeout(r, 200));
      return online(g, on, at);
    };
    const sim = startSim(m.port, 17);
    cleanups.push(() => sim.stop());
    await waitUntil(() => sim.state === 'logged-in');
    await m.stop();
    expect(m.gatewayEvents.map((e) => [e.a2, e.online])).toEqual([
      [17, true],
      [17, false],
    ]);
  });

  it('a second login of the same terminal replaces the old link without marking it offline', async () => {
    const m = await master();
    const addr = { A1_region: A1, A2_terminal: 13 };
    const first = await rawTerminal(m.port);
    first.socket.write(gdw.buildLogin(addr, 1));
    await waitUntil(() => masterOf(m.ctx)?.online === 1);
    const firstClosed = new Promise<void>((r) => first.socket.once('close', () => r()));
    const second = await rawTerminal(m.port);
    cleanups.push(async () => void second.socket.destroy());
    second.socket.write(gdw.buildLogin(addr, 1));
    await firstClosed;
    expect(masterOf(m.ctx)?.online).toBe(1);
    expect(m.gatewayEvents.filter((e) => !e.online)).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('without a port the master station stays off: health says so, reads fail GATEWAY_OFFLINE', async () => {
    const t = makeTestContext<Gdw1376Config>({ pluginId: plugin.id, config: configSchema.parse({}) });
    await plugin.start?.(t.ctx);
    cleanups.push(async () => void (await plugin.stop?.(t.ctx)));
    expect(await plugin.health?.(t.ctx)).toEqual({
      ok: true,
      detail: 'off: no port configured (config.port)',
    });
    const [r] = await collect(t.ctx, request(1, [1]));
    expect(r).toMatchObject({ ok: false, error: { code: 'GATEWAY_OFFLINE', retryable: true } });
  });

  it('health names the port and the concentrators online', async () => {
    const m = await master();
    const sim = startSim(m.port, 14);
    cleanups.push(() => sim.stop());
    await waitUntil(() => sim.state === 'logged-in');
    expect(await plugin.health?.(m.ctx)).toEqual({
      ok: true,
      detail: `port ${m.port}: 1 concentrator(s) online, 1 link(s)`,
    });
  });
});
