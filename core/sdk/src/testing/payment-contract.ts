import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import type { PaymentOutcome, PaymentPlugin } from '../kinds/payment.ts';
import { isFen } from '../money/money.ts';
import type { PluginContext } from '../plugin/context.ts';
import type { PluginRequest } from '../plugin/http.ts';
import { type CommonContractOptions, describeCommonContract } from './common-contract.ts';
import { checkOrSkip } from './skip.ts';
import { makeTestContext } from './test-context.ts';

export interface PaymentContractOptions<C> extends CommonContractOptions {
  /** notifications that must be refused: bad signature, wrong key, tampered amount … (at least one) */
  forgedNotifications: readonly PluginRequest[];
  /** a correctly signed notification for the given config, and what it must normalize to */
  validNotification?: { request: PluginRequest; expect: Partial<PaymentOutcome> };
  /** headers that carry the signature; stripped to make an unsigned copy of the valid notification */
  signatureHeaders?: readonly string[];
  context?: () => PluginContext<C>;
  skip?: CommonContractOptions['skip'] & { validNotification?: string };
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The payment conformance suite: `describePaymentContract(plugin, options)` in a test file. */
export function describePaymentContract<C, S>(
  plugin: PaymentPlugin<C, S>,
  options: PaymentContractOptions<C>,
): void {
  describe(`payment contract: ${plugin.id}`, () => {
    describeCommonContract(plugin, options);
    const ctxOf = () =>
      options.context?.() ??
      makeTestContext({
        pluginId: plugin.id,
        config: (plugin.config?.parse(options.config ?? {}) ?? {}) as C,
      }).ctx;

    describe('notifications', () => {
      it('refuses every forged notification with a typed error', async () => {
        expect(options.forgedNotifications.length).toBeGreaterThan(0);
        for (const req of options.forgedNotifications) {
          const e = await refusal(plugin.parseNotification(req, ctxOf()));
          expect(isAppError(e), `accepted or crashed on a forged ${req.method} ${req.path}`).toBe(true);
        }
      });

      checkOrSkip(
        'accepts the signed notification and normalizes it',
        options.skip?.validNotification,
        async () => {
          const v = options.validNotification;
          if (!v)
            throw new Error(
              'no valid notification was given; pass options.validNotification or a written skip reason',
            );
          const { outcome, ack } = await plugin.parseNotification(v.request, ctxOf());
          expect(outcome).toMatchObject(v.expect);
          expect(isFen(outcome.amountFen)).toBe(true);
          expect(ack.status).toBeGreaterThanOrEqual(200);
          expect(ack.status).toBeLessThan(300);
        },
      );

      checkOrSkip(
        'refuses the same notification unsigned or with its body altered',
        options.skip?.validNotification,
        async () => {
          const v = options.validNotification;
          if (!v)
            throw new Error(
              'no valid notification was given; pass options.validNotification or a written skip reason',
            );
          const strip = new Set((options.signatureHeaders ?? []).map((h) => h.toLowerCase()));
          const headers = Object.fromEntries(
            Object.entries(v.request.headers).filter(([k]) => !strip.has(k.toLowerCase())),
          );
          if (strip.size > 0) {
            const e = await refusal(plugin.parseNotification({ ...v.request, headers }, ctxOf()));
            expect(isAppError(e), 'accepted an unsigned notification').toBe(true);
          }
          const body = new Uint8Array(v.request.body);
          const at = body.findIndex((b) => b >= 0x30 && b <= 0x39);
          expect(at, 'the valid notification body has no digit to alter').toBeGreaterThanOrEqual(0);
          body[at] = body[at] === 0x39 ? 0x38 : body[at] + 1;
          const e = await refusal(plugin.parseNotification({ ...v.request, body }, ctxOf()));
          expect(isAppError(e), 'accepted a notification whose body was altered').toBe(true);
        },
      );
    });
  });
}
