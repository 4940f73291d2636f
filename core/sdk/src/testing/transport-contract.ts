import { describe, expect, it } from 'vitest';
import { rawReadingSchema } from '../kinds/reading.ts';
import type { ControlCommand, ReadRequest, ReadResult, TransportPlugin } from '../kinds/transport.ts';
import type { PluginContext } from '../plugin/context.ts';
import { type CommonContractOptions, describeCommonContract } from './common-contract.ts';
import { checkOrSkip, within } from './skip.ts';
import { makeSetupContext } from './test-context.ts';

/** A line the plugin's own test provides (a simulator on loopback, a fake port …). */
export interface TransportHarness<C> {
  /** a started context the calls run in; the suite calls `close` afterwards */
  open(): Promise<{ ctx: PluginContext<C>; close(): Promise<void> }>;
  request: Omit<ReadRequest, 'signal'>;
  command?: ControlCommand;
}

export interface TransportContractOptions<C> extends CommonContractOptions {
  harness?: TransportHarness<C>;
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
