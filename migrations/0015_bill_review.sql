-- Bill review and late fees (docs/decisions/0026): the daily late-fee run finds issued bills by due
-- date; the new billing.adjust permission (cancel, re-bill, adjust) goes to built-in admin roles.
CREATE INDEX "bills_due_idx" ON "bills" ("tenant_id", "due_date") WHERE "status" = 'issued';--> statement-breakpoint
-- the late fees of one bill, by day
CREATE INDEX "ledger_entries_late_idx" ON "ledger_entries" ("tenant_id", "bill_id", "occurred_on")
  WHERE "kind" = 'late_fee';--> statement-breakpoint
-- The built-in administrator role holds every permission: existing tenants' get the new one too
-- (tenant by tenant, so the row-level policy admits each update whatever role migrates).
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    UPDATE roles SET permissions = array_append(permissions, 'billing.adjust')
      WHERE tenant_id = t AND builtin = 'admin' AND NOT ('billing.adjust' = ANY (permissions));
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
