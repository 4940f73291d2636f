import { ref } from 'vue';

/** A hash router in a dozen lines: #/ · #/bind · #/account/<id>. */
export type Route = { name: 'home' } | { name: 'bind' } | { name: 'account'; id: string };

function parse(hash: string): Route {
  const m = /^#\/account\/([0-9a-f-]{36})$/.exec(hash);
  if (m) return { name: 'account', id: m[1] };
  if (hash === '#/bind') return { name: 'bind' };
  return { name: 'home' };
}

export const route = ref<Route>(parse(location.hash));
addEventListener('hashchange', () => {
  route.value = parse(location.hash);
  scrollTo(0, 0);
});

export function go(hash: string) {
  location.hash = hash;
}
