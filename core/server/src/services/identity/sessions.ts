import { AppError } from '@quadmeter/sdk';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operators, sessions, tenants, users } from '../../db/schema/index.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { Actor } from './actor.ts';
import { loadOperatorActor, loadUserActor } from './load-actor.ts';
import { verifyPassword } from './passwords.ts';
import { beginAttempt, markAttemptSucceeded } from './throttle.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const PLATFORM_LOGIN = 'platform';

export interface LoginInput {
  tenant: string;
  username: string;
  password: string;
}

export interface SessionGrant {
  actor: Actor;
  token: string;
}

interface Principal {
  operatorId?: string;
  userId?: string;
  tenantId?: string;
  passwordHash?: string;
}

async function findPrincipal(db: Db, input: LoginInput): Promise<Principal> {
  if (input.tenant === PLATFORM_LOGIN) {
    const [op] = await withSystem(db, (tx) =>
      tx.select().from(operators).where(eq(operators.username, input.username)),
    );
    return op?.status === 'active' ? { operatorId: op.id, passwordHash: op.passwordHash } : {};
  }
  const [tenant] = await withSystem(db, (tx) =>
    tx.select().from(tenants).where(eq(tenants.code, input.tenant)),
  );
  if (tenant?.status !== 'active') return {};
  const [user] = await withTenant(db, tenant.id, (tx) =>
    tx.select().from(users).where(eq(users.username, input.username)),
  );
  return user?.status === 'active'
    ? { userId: user.id, tenantId: tenant.id, passwordHash: user.passwordHash }
    : {};
}

/** Checks credentials (throttled per account and per address, see throttle.ts) and opens a session. */
export async function login(
  db: Db,
  input: LoginInput,
  meta: { ip: string; userAgent: string; hours: number },
): Promise<SessionGrant> {
  const accountKey = `${input.tenant}:${input.username}`.toLowerCase();
  // checked and recorded (as a failure until proven otherwise) atomically, before verifying
  const attemptId = await withSystem(db, (tx) => beginAttempt(tx, accountKey, meta.ip));
  const principal = await findPrincipal(db, input);
  const ok = await verifyPassword(principal.passwordHash, input.password);
  if (!ok) throw new AppError('AUTH_INVALID_CREDENTIALS');
  const token = newSecret('qs_');
  const csrfToken = newSecret();
  const [row] = await withSystem(db, async (tx) => {
    await markAttemptSucceeded(tx, attemptId);
    if (principal.operatorId) {
      await tx
        .update(operators)
        .set({ lastLoginAt: new Date() })
        .where(eq(operators.id, principal.operatorId));
    }
    return await tx
      .insert(sessions)
      .values({
        tokenHash: hashSecret(token),
        csrfToken,
        operatorId: principal.operatorId ?? null,
        userId: principal.userId ?? null,
        tenantId: principal.tenantId ?? null,
        ip: meta.ip,
        userAgent: meta.userAgent.slice(0, 300),
        expiresAt: new Date(Date.now() + meta.hours * 3_600_000),
      })
      .returning();
  });
  if (principal.userId && principal.tenantId) {
    await withTenant(db, principal.tenantId, (tx) =>
      tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, principal.userId!)),
    );
  }
  const actor = principal.operatorId
    ? await loadOperatorActor(db, principal.operatorId, null)
    : await loadUserActor(db, principal.tenantId!, principal.userId!);
  return { actor: { ...actor, sessionId: row.id, csrfToken }, token };
}

/** Slides a session's expiry on use (at most once a minute, after the request's transaction). */
export async function touchSession(db: Db, sessionId: string, hours: number): Promise<void> {
  await withSystem(db, (tx) =>
    tx
      .update(sessions)
      .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + hours * 3_600_000) })
      .where(eq(sessions.id, sessionId)),
  );
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await withSystem(db, (tx) =>
    tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId)),
  );
}

/** Operators pick the tenant they act in; the choice lives on the session. */
export async function switchTenant(db: Db, actor: Actor, tenantId: string): Promise<Actor> {
  if (actor.kind !== 'operator' || !actor.sessionId) throw new AppError('AUTH_FORBIDDEN');
  const [tenant] = await withSystem(db, (tx) => tx.select().from(tenants).where(eq(tenants.id, tenantId)));
  if (!tenant) throw new AppError('TENANT_NOT_FOUND');
  await withSystem(db, (tx) =>
    tx
      .update(sessions)
      .set({ tenantId })
      .where(
        and(
          eq(sessions.id, actor.sessionId!),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
        ),
      ),
  );
  return { ...actor, tenantId };
}

/** Revokes every session of a user (on disable, delete or password change). */
export async function revokeUserSessions(db: Db, tenantId: string, userId: string): Promise<void> {
  await withSystem(db, (tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), isNull(sessions.revokedAt))),
  );
}
