-- UnionPay online payments (payment-unionpay, docs/decisions/0034-online-payments.md): a paid order
-- of that provider becomes a `payments` row of method `unionpay` (beside wechat and alipay, 0027), shaped like a wechat one (no
-- counter, no shift, no tender).
ALTER TABLE "payments" DROP CONSTRAINT "payments_method_check";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_check"
  CHECK ("method" IN ('cash', 'card', 'wechat', 'alipay', 'unionpay'));--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_method_ck";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_ck" CHECK (
  ("method" = 'cash' AND "tendered_fen" >= "amount_fen" AND "change_fen" = "tendered_fen" - "amount_fen"
     AND "terminal_ref" IS NULL AND "shift_id" IS NOT NULL AND "cashier_id" IS NOT NULL)
  OR ("method" = 'card' AND "terminal_ref" IS NOT NULL AND "change_fen" = 0
     AND "shift_id" IS NOT NULL AND "cashier_id" IS NOT NULL)
  -- online: paid to the provider, no counter, no shift; the order names the payment
  OR ("method" IN ('wechat', 'alipay', 'unionpay') AND "tendered_fen" IS NULL AND "change_fen" = 0
     AND "terminal_ref" IS NULL AND "shift_id" IS NULL));
