import type { Tx } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Actor } from '../services/identity/actor.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    ip: string;
    /** the scheme the client used (X-Forwarded-Proto from a trusted proxy, else the socket's) */
    scheme: 'http' | 'https';
    actor: Actor;
    /** the request's tenant transaction, opened with the actor (tenant users and tokens) */
    tx: Tx | undefined;
  };
}
