import type { Tx } from '../../db/client.ts';
import type { NoticeEvent } from './machine.ts';

/** One notice, shaped as the notification outbox's `enqueueNotice(tx, n)` takes it. */
export interface Notice {
  /** stable per crossing: `prepaid:<account id>:<event id>` */
  key: string;
  event: NoticeEvent;
  accountId: string;
  vars: Record<string, string>;
}

/** Queues a notice in the caller's transaction (the notification outbox, wired where the worker starts). */
export type Notify = (tx: Tx, n: Notice) => Promise<void>;
