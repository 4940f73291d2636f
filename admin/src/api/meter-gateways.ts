import { http } from './http.ts';

/** A concentrator or collector as the meter route editor offers it. */
export interface GatewayOption {
  id: string;
  number: string;
  name: string;
  areaPath: string[];
  status: string;
}

/** The gateways within the session's scope, for picking a meter's route. */
export const meterGatewaysApi = {
  concentrators: () => http.get<{ items: GatewayOption[] }>('/concentrators'),
  collectors: () => http.get<{ items: GatewayOption[] }>('/collectors'),
};
