import { AppError } from '@quadmeter/sdk';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { type Actor, requireWholeTenant } from './actor.ts';
import { permissionKeys } from './permissions.ts';
import { hashSecret, newSecret } from './tokens.ts';

type TokenRow = typeof apiTokens.$inferSelect;

export function tokenDto(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * Issues a token for the acting user. The secret is shown once; only its hash is stored. The
 * token names its tenant (`qm_<tenant>.<secret>`) so it resolves inside that tenant's RLS scope.
 */
export async function createApiToken(
  tx: Tx,
  actor: Actor,
  tenant: { id: string; code: string },
  input: { name: string; scopes: string[]; expiresAt?: string },
) {
  if (actor.kind !== 'user') throw new AppError('AUTH_FORBIDDEN', 'API tokens belong to tenant users');
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError('REQ_VALIDATION', 'The expiry lies in the past', [
      { path: 'expiresAt', message: 'must be in the future' },
    ]);
  }
  const bad = input.scopes.filter((s) => !permissionKeys.has(s) || !actor.permissions.has(s));
  if (bad.length)
    throw new AppError('AUTH_FORBIDDEN', 'Scopes must be permissions you hold', { scopes: bad });
  const token = `qm_${tenant.code}.${newSecret()}`;
  const [row] = await tx
    .insert(apiTokens)
    .values({
      tenantId: tenant.id,
      name: input.name,
      prefix: token.slice(0, tenant.code.length + 10),
      tokenHash: hashSecret(token),
      userId: actor.id,
      scopes: [...new Set(input.scopes)],
      expiresAt,
    })
    .returning();
  return { token, item: tokenDto(row) };
}

/** The tenant's tokens; an actor scoped to some areas sees only their own. */
export async function listApiTokens(tx: Tx, actor: Actor) {
  const rows = await tx
    .select()
    .from(apiTokens)
    .where(actor.areaScope === null ? undefined : eq(apiTokens.userId, actor.id))
    .orderBy(desc(apiTokens.createdAt));
  return { items: rows.map(tokenDto), total: rows.length };
}

/** Revokes a token; revoking someone else's is a tenant-wide act. */
export async function revokeApiToken(tx: Tx, actor: Actor, id: string) {
  const [found] = await tx
    .select({ userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  if (!found) throw new AppError('RESOURCE_NOT_FOUND', 'No such active token', { id });
  if (found.userId !== actor.id) requireWholeTenant(actor);
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such active token', { id });
  return row;
}

/** Revokes every active token of a user (on password reset, disable or delete). */
export async function revokeUserTokens(tx: Tx, userId: string): Promise<number> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}

/** Notes when a token was last used (at most once a minute, after the request's transaction). */
export async function touchApiToken(db: Db, tenantId: string, tokenId: string): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, tokenId)),
  );
}
