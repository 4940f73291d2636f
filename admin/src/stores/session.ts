import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/api-error.ts';
import { authApi, type LoginInput, type Session } from '../api/auth.ts';

/** The signed-in session (from login or /auth/me) and what it may do. */
export const useSessionStore = defineStore('session', () => {
  const session = ref<Session | null>(null);
  /** True once /auth/me has answered (either way) for this page load. */
  const loaded = ref(false);

  const permissions = computed(() => new Set(session.value?.permissions ?? []));
  const user = computed(() => session.value?.user ?? null);
  const tenant = computed(() => session.value?.tenant ?? null);
  const isOperator = computed(() => session.value?.user.isOperator ?? false);
  const csrfToken = computed(() => session.value?.csrfToken ?? null);
  const areaScope = computed(() => session.value?.areaScope ?? null);

  function can(key: string | undefined): boolean {
    return key === undefined || permissions.value.has(key);
  }

  function set(next: Session | null): void {
    session.value = next;
    loaded.value = true;
  }

  /** Loads the session behind the cookie; a 401 just means nobody is signed in. */
  async function load(): Promise<Session | null> {
    try {
      set(await authApi.me());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) set(null);
      else {
        loaded.value = true;
        throw e;
      }
    }
    return session.value;
  }

  async function login(input: LoginInput): Promise<Session> {
    const s = await authApi.login(input);
    set(s);
    return s;
  }

  async function logout(): Promise<void> {
    try {
      if (session.value) await authApi.logout();
    } finally {
      set(null);
    }
  }

  async function switchTenant(tenantId: string): Promise<Session> {
    const s = await authApi.switchTenant(tenantId);
    set(s);
    return s;
  }

  return {
    session,
    loaded,
    permissions,
    user,
    tenant,
    isOperator,
    csrfToken,
    areaScope,
    can,
    set,
    load,
    login,
    logout,
    switchTenant,
  };
});
