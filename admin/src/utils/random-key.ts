/**
 * A random idempotency key (32 hex digits). crypto.getRandomValues, unlike randomUUID, also works on
 * pages served over plain HTTP inside a site's network.
 */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
