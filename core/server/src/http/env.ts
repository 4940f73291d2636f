import type { Logger } from '../logger.ts';
import type { Actor } from '../services/identity/actor.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    ip: string;
    actor: Actor;
  };
}
