import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { CoreApi, GatewayAddress, GatewayOutcome, Logger } from '@quadmeter/sdk';
import { gatewayKey } from './gateway.ts';
import type { Session } from './session.ts';

/** What the link handler needs from the master station. */
export interface LinkHost {
  core: CoreApi;
  logger: Logger;
  /** binds a logged-in session to its A1/A2 (replacing an older link of the same terminal) */
  bind(session: Session, gateway: GatewayAddress, tenantId: string): void;
  /** the terminal logged out: unbind without waiting for the socket to close */
  unbind(session: Session): void;
}

const LOGIN = 1;
const LOGOUT = 2;
const HEARTBEAT = 3;

const now = (): string => new Date().toISOString();

function answer(session: Session, f: gdw.GdwFrame, ok: boolean): void {
  const addr = { A1_region: f.address.A1_region, A2_terminal: f.address.A2_terminal };
  const fn = f.units[0]?.fn ?? LOGIN;
  const bytes = ok
    ? gdw.buildConfirm(addr, f.seq.pseq, '02', [{ pn: 0, fn }])
    : gdw.buildDeny(addr, f.seq.pseq, '02', [{ pn: 0, fn, err: 1 }]);
  session.send(bytes);
}

/** The terminal's address as the core names gateways. */
export function frameGateway(f: gdw.GdwFrame): GatewayAddress {
  return { a1: f.address.A1_region.toUpperCase(), a2: f.address.A2_terminal };
}

/**
 * AFN 02 link frames from a terminal: login (F1), logout (F2) and heartbeat (F3). Login and a
 * heartbeat on a link not yet logged in ask the core whose concentrator this is; one no enabled
 * tenant has is denied (AFN 00 F3, ERR 1), logged, and its link closed. The core's answer is
 * awaited before the confirm, so a confirmed terminal shows online in its archive.
 */
export async function onLinkFrame(host: LinkHost, session: Session, f: gdw.GdwFrame): Promise<void> {
  const gw = frameGateway(f);
  const fn = f.units[0]?.fn;
  const bound = session.gateway !== undefined && gatewayKey(session.gateway) === gatewayKey(gw);
  try {
    if (fn === LOGOUT) {
      answer(session, f, true);
      if (bound) {
        host.unbind(session);
        await host.core.gatewayOnline(gw, false, now());
      }
      session.socket.end();
      return;
    }
    if (fn === HEARTBEAT && bound) {
      answer(session, f, true);
      await host.core.gatewayHeartbeat(gw, now());
      return;
    }
    if (fn !== LOGIN && fn !== HEARTBEAT) {
      host.logger.debug({ gateway: gatewayKey(gw), fn }, 'AFN 02 with an unknown Fn ignored');
      return;
    }
    const at = now();
    const outcome: GatewayOutcome =
      fn === LOGIN ? await host.core.gatewayOnline(gw, true, at) : await host.core.gatewayHeartbeat(gw, at);
    if (session.closed) return;
    if (!outcome.matched) {
      host.logger.warn(
        { gateway: gatewayKey(gw), remote: session.socket.remoteAddress },
        'a concentrator no enabled tenant has tried to log in; denied',
      );
      answer(session, f, false);
      session.socket.end();
      return;
    }
    host.bind(session, gw, outcome.tenantId);
    answer(session, f, true);
  } catch (e) {
    // the core failed (database down …): no confirm, so the terminal logs in again later
    host.logger.error(
      { gateway: gatewayKey(gw), err: e instanceof Error ? e.message : String(e) },
      'gateway event not recorded',
    );
  }
}
