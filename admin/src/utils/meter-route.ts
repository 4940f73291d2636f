import {
  type MeterRoute,
  type NbiotPlatform,
  type Parity,
  ROUTE_VIAS,
  type RouteInput,
  type RouteVia,
} from '../api/meters.ts';

/** The route editor's state: every way's fields at once, `via` '' for a meter reached nowhere yet. */
export interface RouteForm {
  via: RouteVia | '';
  line: string;
  baud: number;
  parity: Parity;
  collectorId: string;
  channel: number | null;
  concentratorId: string;
  pointNo: number | null;
  port: number;
  platform: NbiotPlatform;
  deviceId: string;
}

export function emptyRouteForm(): RouteForm {
  return {
    via: '',
    line: '',
    baud: 2400,
    parity: 'E',
    collectorId: '',
    channel: null,
    concentratorId: '',
    pointNo: null,
    port: 2,
    platform: 'ctwing',
    deviceId: '',
  };
}

/** The editor's state for a stored route; `commAddress` tells an NB-IoT device id apart from the address. */
export function routeForm(route: MeterRoute | null, commAddress = ''): RouteForm {
  const f = emptyRouteForm();
  if (!route) return f;
  if (!(ROUTE_VIAS as readonly string[]).includes(route.via)) return f;
  f.via = route.via as RouteVia;
  f.collectorId = route.collectorId ?? '';
  if (route.via === 'serial') {
    Object.assign(f, {
      line: route.line,
      baud: route.baud ?? 2400,
      parity: route.parity ?? 'E',
      channel: route.channel,
    });
  } else if (route.via === 'concentrator') {
    Object.assign(f, {
      concentratorId: route.concentratorId ?? '',
      pointNo: route.pointNo,
      port: route.port ?? 2,
    });
  } else if (route.via === 'nbiot') {
    f.platform = route.line as NbiotPlatform;
    f.deviceId = route.address === commAddress ? '' : route.address;
  }
  return f;
}

/** What the API takes for the editor's state (null: no route). */
export function routeInput(f: RouteForm): RouteInput | null {
  switch (f.via) {
    case 'serial':
      return {
        via: 'serial',
        line: f.line.trim(),
        baud: f.baud,
        parity: f.parity,
        collectorId: f.collectorId || null,
        channel: f.channel,
      };
    case 'concentrator':
      return {
        via: 'concentrator',
        concentratorId: f.concentratorId,
        pointNo: f.pointNo ?? 0,
        port: f.port,
        collectorId: f.collectorId || null,
      };
    case 'nbiot':
      return { via: 'nbiot', platform: f.platform, deviceId: f.deviceId.trim() || null };
    case 'lora':
      return { via: 'lora' };
    default:
      return null;
  }
}

/** `tcp://host:port` (a serial server) or `tty:/dev/…` (a local port), as the server accepts it. */
export function isSerialLine(s: string): boolean {
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(s);
  if (tcp) return Number(tcp[2]) >= 1 && Number(tcp[2]) <= 65535;
  return /^tty:\/dev\/[A-Za-z0-9._/-]{1,100}$/.test(s) && !s.includes('..');
}
