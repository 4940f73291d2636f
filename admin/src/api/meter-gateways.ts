import { http } from './http.ts';
import type { ReplyOf, Schema } from './types.ts';

/** A concentrator or collector as the meter route editor offers it. */
export type GatewayOption = Pick<Schema<'Concentrator'>, 'id' | 'number' | 'areaPath' | 'status'> & {
  name?: string;
};

/** The gateways within the session's scope, for picking a meter's route. */
export const meterGatewaysApi = {
  concentrators: () => http.get<ReplyOf<'/concentrators'>>('/concentrators'),
  collectors: () => http.get<ReplyOf<'/collectors'>>('/collectors'),
};
