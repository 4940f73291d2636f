import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

/** An uplink a push transport kept because no meter's route names its device. */
export type Uplink = Schema<'UnmatchedUplink'>;
export type UplinkStatus = Uplink['status'];
export type UplinkQuery = QueryOf<'/uplinks'>;

const one = (id: string) => `/uplinks/${encodeURIComponent(id)}`;

export const uplinksApi = {
  list: (query: UplinkQuery) => http.get<ReplyOf<'/uplinks'>>('/uplinks', { ...query }),
  assign: (id: string, meterId: string) =>
    http.post<ReplyOf<'/uplinks/{id}/assign', 'post'>>(`${one(id)}/assign`, { meterId }),
  dismiss: (id: string) => http.post<Uplink>(`${one(id)}/dismiss`, {}),
};
