import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

/**
 * Without a session every page but the public ones goes to /login; a page whose permission the
 * session lacks goes to the 403 page; tenant pages wait until an operator picked a tenant.
 */
export async function sessionGuard(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  if (!session.loaded) await session.load().catch(() => null);
  if (to.meta.public) {
    if (to.name === 'login' && session.session) return safeRedirect(to.query.redirect) ?? { name: 'home' };
    return true;
  }
  if (!session.session) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (!session.can(to.meta.permission)) return { name: 'forbidden' };
  if (to.meta.needsTenant && !session.tenant) return { name: 'home' };
  return true;
}

/** Only same-app paths are followed after login. */
export function safeRedirect(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}
