import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { NotifierPlugin, NotifyMessage } from '../kinds/notifier.ts';
import type { PluginContext } from '../plugin/context.ts';
import { type CommonContractOptions, describeCommonContract } from './common-contract.ts';
import { checkOrSkip } from './skip.ts';

/** A delivery target the plugin's own test provides (a loopback SMTP/HTTP fake …). */
export interface NotifierHarness<C> {
  open(): Promise<{ ctx: PluginContext<C>; deliveries(): Promise<number> | number; close(): Promise<void> }>;
  message: NotifyMessage;
}

export interface NotifierContractOptions<C> extends CommonContractOptions {
  harness?: NotifierHarness<C>;
  skip?: CommonContractOptions['skip'] & { send?: string };
}

const sampleErrors: unknown[] = [
  new Error('socket hang up'),
  new TypeError('x is not a function'),
  new AppError('SERVICE_UNAVAILABLE'),
  new AppError('REQ_VALIDATION'),
  Object.assign(new Error('ECONNRESET'), { code: 'ECONNRESET' }),
  { status: 500 },
  { status: 400 },
  'plain text',
  undefined,
  null,
];

/** The notifier conformance suite: `describeNotifierContract(plugin, options)` in a test file. */
export function describeNotifierContract<C, S>(
  plugin: NotifierPlugin<C, S>,
  options: NotifierContractOptions<C> = {},
): void {
  describe(`notifier contract: ${plugin.id}`, () => {
    describeCommonContract(plugin, options);

    it('classifies any failure as retry or drop without throwing', () => {
      for (const e of sampleErrors) expect(['retry', 'drop']).toContain(plugin.classify(e));
    });

    checkOrSkip('sending one message id twice delivers once', options.skip?.send, async () => {
      const h = options.harness;
      if (!h) throw new Error('no harness was given; pass options.harness or a written skip reason');
      const { ctx, deliveries, close } = await h.open();
      try {
        const first = await plugin.send(h.message, ctx);
        const second = await plugin.send(h.message, ctx);
        expect(first.duplicate).toBe(false);
        expect(second.duplicate).toBe(true);
        expect(await deliveries()).toBe(1);
      } finally {
        await close();
      }
    });
  });
}
