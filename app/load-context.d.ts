// What the server passes every loader, action and entry.server (createPortalListener's getLoadContext).
import "@remix-run/server-runtime";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** This response's Content-Security-Policy nonce (app/utils/security-headers.server.ts). */
    cspNonce?: string;
  }
}
