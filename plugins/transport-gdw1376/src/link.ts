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
export function onLinkFrame(host: LinkHost, session: Session, f: gdw.GdwFrame): Promise<void> {
  const gw = frameGateway(f);
  const fn = f.units[0]?.fn;
  const bound = session.gateway !== undefined && gatewayKey(session.gateway) === gatewayKey(gw);
  if (fn !== LOGIN && fn !== LOGOUT && fn !== HEARTBEAT) {
    host.logger.debug({ gateway: gatewayKey(gw), fn }, 'AFN 02 with an unknown Fn ignored');
    return Promise.resolve();
  }
  if (bound && fn !== LOGIN) {
    answer(session, f, true);
    if (fn === LOGOUT) {
      host.unbind(session);
      session.socket.end();
    }
    return session.inOrder(() =>
      record(host, gw, () =>
        fn === LOGOUT ? host.core.gatewayOnline(gw, false, now()) : host.core.gatewayHeartbeat(gw, now()),
      ),
    );
  }
  if (fn === LOGOUT) {
    answer(session, f, true);
    session.socket.end();
    return Promise.resolve();
  }
  return session.inOrder(() => admit(host, session, f, gw, fn));
}

async function record(
  host: LinkHost,
  gw: GatewayAddress,
  call: () => Promise<GatewayOutcome>,
): Promise<void> {
  try {
    await call();
  } catch (e) {
    // the core failed (database down …); the next heartbeat records the state again
    host.logger.error({ gateway: gatewayKey(gw), err: (e as Error).message }, 'gateway event not recorded');
  }
}

/** Login, or a heartbeat on a link not logged in: the core says whose concentrator it is. */
async function admit(
  host: LinkHost,
  session: Session,
  f: gdw.GdwFrame,
  gw: GatewayAddress,
  fn: number,
): Promise<void> {
  const at = now();
  let outcome: GatewayOutcome;
  try {
    outcome =
      fn === LOGIN ? await host.core.gatewayOnline(gw, true, at) : await host.core.gatewayHeartbeat(gw, at);
  } catch (e) {
    // no confirm: the terminal logs in again later
    host.logger.error({ gateway: gatewayKey(gw), err: (e as Error).message }, 'login not recorded');
    return;
  }
  if (!outcome.matched) {
    host.logger.warn(
      { gateway: gatewayKey(gw), remote: session.socket.remoteAddress },
      'a concentrator no enabled tenant has tried to log in; denied',
    );
    answer(session, f, false);
    session.socket.end();
    return;
  }
  if (session.closed) {
    // the link dropped while the core recorded the login
    await record(host, gw, () => host.core.gatewayOnline(gw, false, now()));
    return;
  }
  host.bind(session, gw, outcome.tenantId);
  answer(session, f, true);
}
