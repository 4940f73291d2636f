import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title. */
    title?: string;
    /** Permission key the page needs; the guard sends others to the 403 page. */
    permission?: string;
    /** Side-menu group the page is listed under. */
    menu?: string;
    /** The page works on one tenant's data; operators must pick a tenant first. */
    needsTenant?: boolean;
    /** Reachable without a session. */
    public?: boolean;
  }
}
