import { AppError } from '@quadmeter/sdk';

/** Who is acting: resolved once per request from a session cookie or an API token. */
export interface Actor {
  kind: 'user' | 'operator' | 'token' | 'customer';
  /** user or operator id (for tokens: the user the token belongs to) */
  id: string;
  /** login name */
  name: string;
  displayName: string;
  locale: string;
  /** tenant the actor acts in; null for an operator who has not picked one */
  tenantId: string | null;
  permissions: ReadonlySet<string>;
  /** ids of the area subtrees granted; null = the whole tenant */
  areaScope: readonly string[] | null;
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
}

export function requirePermission(actor: Actor, permission: string): void {
  if (!actor.permissions.has(permission)) {
    throw new AppError('AUTH_FORBIDDEN', `Missing permission ${permission}`, { permission });
  }
}

export function requireTenant(actor: Actor): string {
  if (!actor.tenantId) throw new AppError('TENANT_REQUIRED');
  return actor.tenantId;
}

/**
 * Tenant-wide objects (roles, other users' API tokens, plugin enablement and settings, tenant
 * settings) may be changed only by an actor whose scope is the whole tenant.
 */
export function requireWholeTenant(actor: Actor): void {
  if (actor.areaScope !== null) {
    throw new AppError('AUTH_SCOPE_TENANT_WIDE', undefined, { areaScope: [...actor.areaScope] });
  }
}

/** True when `path` (root … area) lies inside the actor's scope. */
export function inScope(actor: Actor, path: readonly string[]): boolean {
  if (actor.areaScope === null) return true;
  return actor.areaScope.some((id) => path.includes(id));
}
