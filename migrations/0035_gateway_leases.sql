-- Gateway leases (docs/scaling.md, decision 0043): which gateway node owns a long-lived resource
-- (a serial line behind its transport, a concentrator session, a broker subscription). A platform
-- table like the device registry: a resource is named by the transport's instance-wide key
-- ('<transport>:<line>'), and one physical line can serve meters of several tenants, so the lease
-- belongs to the line, not to a tenant: no tenant_id, closed to quadmeter_app (no grants), written
-- only by the gateway's system path. `token` is the fencing token: it grows by one on every change
-- of owner, never goes back; a write made for a leased resource names the token it holds and is
-- refused once a higher one was stored (gateway_fence below).
CREATE TABLE "gateway_leases" (
	"resource" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"token" bigint NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gateway_leases_resource_check" CHECK (length("resource") between 1 and 300),
	CONSTRAINT "gateway_leases_token_check" CHECK ("token" > 0)
);--> statement-breakpoint
CREATE INDEX "gateway_leases_owner_idx" ON "gateway_leases" ("owner");--> statement-breakpoint
REVOKE ALL ON "gateway_leases" FROM PUBLIC;--> statement-breakpoint
-- The fence, callable inside a tenant transaction (which runs as quadmeter_app): locks the lease
-- row FOR SHARE, so a take-over (an UPDATE of the row) waits for this transaction's commit, or this
-- write waits for the take-over and then sees the higher token. Raises SQLSTATE QM409 when the
-- caller's token is stale, the owner differs, or the lease lapsed: the transaction rolls back.
CREATE FUNCTION gateway_fence(p_resource text, p_owner text, p_token bigint) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  l gateway_leases%ROWTYPE;
BEGIN
  SELECT * INTO l FROM gateway_leases WHERE resource = p_resource FOR SHARE;
  IF NOT FOUND OR l.token <> p_token OR l.owner <> p_owner OR l.expires_at < clock_timestamp() THEN
    RAISE EXCEPTION 'GATEWAY_LEASE_FENCED: % token % is stale (stored % by %)', p_resource, p_token,
      coalesce(l.token, 0), coalesce(l.owner, '-')
      USING ERRCODE = 'QM409';
  END IF;
END $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION gateway_fence(text, text, bigint) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION gateway_fence(text, text, bigint) TO quadmeter_app;
