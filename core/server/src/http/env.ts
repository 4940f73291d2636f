import type { Tx } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Actor } from '../services/identity/actor.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    ip: string;
    actor: Actor;
    /** the request's tenant transaction, opened with the actor (tenant users and tokens) */
    tx: Tx | undefined;
  };
}
