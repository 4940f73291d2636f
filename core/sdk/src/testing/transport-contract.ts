import { describe, expect, it } from 'vitest';
import { rawReadingSchema } from '../kinds/reading.ts';
import type { ControlCommand, ReadRequest, ReadResult, TransportPlugin } from '../kinds/transport.ts';
import type { PluginContext } from '../plugin/context.ts';
import { type CommonContractOptions, describeCommonContract } from './common-contract.ts';
import { checkOrSkip, within } from './skip.ts';
import { makeSetupContext, makeTestContext, TEST_TENANT_ID } from './test-context.ts';

/** A line the plugin's own test provides (a simulator on loopback, a fake port …). */
export interface TransportHarness<C> {
  /** a started context the calls run in; the suite calls `close` afterwards */
  open(): Promise<{ ctx: PluginContext<C>; close(): Promise<void> }>;
  request: Omit<ReadRequest, 'signal'>;
  command?: ControlCommand;
}

/**
 * How a push transport's test hands it one uplink as its platform sends it: `deliver` runs the
 * plugin's hook handler (or its broker callback) in `ctx`; `forged` delivers the same uplink with
 * a wrong signature or token. Settings are the tenant's plugin settings the core answers.
 */
export interface PushHarness<C> {
  tenantSettings: unknown;
  deliver(ctx: PluginContext<C>, variant: 'sample' | 'forged'): Promise<void>;
}

export interface TransportContractOptions<C> extends CommonContractOptions {
  harness?: TransportHarness<C>;
  push?: PushHarness<C>;
  skip?: CommonContractOptions['skip'] & { read?: string; control?: string };
}

const CALL_MS = 30_000;

async function collect(it: AsyncIterable<ReadResult>): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** The transport conformance suite: `describeTransportContract(plugin, options)` in a test file. */
export function describeTransportContract<C, S>(
  plugin: TransportPlugin<C, S>,
  options: TransportContractOptions<C> = {},
): void {
  describe(`transport contract: ${plugin.id}`, () => {
    describeCommonContract(plugin, options);
    const missing = 'no harness was given; pass options.harness or a written skip reason';

    describe(plugin.mode, () => {
      if (plugin.mode === 'push') {
        it('mounts its hooks under relative paths, or subscribes in start()', () => {
          const { declared, ctx } = makeSetupContext<C>(plugin.id, {} as C);
          plugin.routes?.({ route: (method, path, handler, o) => ctx.hook(method, path, handler, o) });
          if (plugin.routes) expect(declared.routes.length).toBeGreaterThan(0);
          else expect(typeof plugin.start).toBe('function');
          for (const r of declared.routes) expect(r.path.startsWith('/')).toBe(true);
        });
        const push = options.push;
        if (!push) return;
        const open = () =>
          makeTestContext<C>({
            pluginId: plugin.id,
            config: {} as C,
            tenantSettings: () => push.tenantSettings,
          });
        it('an uplink becomes well-formed readings naming the tenant; a replay repeats their keys', async () => {
          const t = open();
          await push.deliver(t.ctx, 'sample');
          await push.deliver(t.ctx, 'sample');
          expect(t.ingested.length).toBe(2);
          const [first, again] = t.ingested;
          expect(first.length).toBeGreaterThan(0);
          for (const r of first) {
            expect(rawReadingSchema.safeParse(r).success).toBe(true);
            expect(r.tenantId).toBe(TEST_TENANT_ID);
            expect(['nbiot', 'lora']).toContain(r.route.via);
          }
          expect(again.map((r) => r.idempotencyKey)).toEqual(first.map((r) => r.idempotencyKey));
        });
        it('a forged uplink is refused and nothing is ingested', async () => {
          const t = open();
          await push.deliver(t.ctx, 'forged');
          expect(t.ingested).toEqual([]);
        });
        return;
      }

      checkOrSkip(
        'read yields exactly one result per requested meter, readings well formed',
        options.skip?.read,
        async () => {
          const h = options.harness;
          if (!h) throw new Error(missing);
          const { ctx, close } = await h.open();
          try {
            const results = await within(
              CALL_MS,
              'read',
              collect(plugin.read({ ...h.request, signal: ctx.signal }, ctx)),
            );
            const asked = h.request.meters.map((m) => m.meterId).sort();
            expect(results.map((r) => r.meterId).sort()).toEqual(asked);
            for (const r of results) {
              if (r.ok) {
                expect(rawReadingSchema.safeParse(r.reading).success).toBe(true);
                // a poll is made on a tenant's behalf: the reading names it, narrowing the resolution
                expect(r.reading.tenantId).toBe(h.request.tenantId);
              } else {
                expect(typeof r.error.code).toBe('string');
                expect(typeof r.error.retryable).toBe('boolean');
              }
            }
          } finally {
            await close();
          }
        },
      );

      checkOrSkip('read stops early when the request is aborted', options.skip?.read, async () => {
        const h = options.harness;
        if (!h) throw new Error(missing);
        const { ctx, close } = await h.open();
        try {
          const controller = new AbortController();
          controller.abort();
          const results = await within(
            CALL_MS,
            'aborted read',
            collect(plugin.read({ ...h.request, signal: controller.signal }, ctx)).catch(() => []),
          );
          expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
        } finally {
          await close();
        }
      });

      checkOrSkip('control answers for the command it was given', options.skip?.control, async () => {
        const h = options.harness;
        if (!h?.command)
          throw new Error(
            'no harness command was given; pass options.harness.command or a written skip reason',
          );
        const { ctx, close } = await h.open();
        try {
          const result = await within(CALL_MS, 'control', plugin.control(h.command, ctx));
          expect(result.commandId).toBe(h.command.id);
          expect(typeof result.ok).toBe('boolean');
        } finally {
          await close();
        }
      });
    });
  });
}
