// Response headers that hold for every page, set in one place (createPortalListener):
// - Content-Security-Policy: scripts only from the portal itself and the inline ones that carry this
//   response's nonce (Remix's hydration data and scroll restoration), so an injected <script> or an
//   event-handler attribute does not run; no plugins; forms post only to the portal; framed by
//   nobody else. Styles allow inline (React style attributes, the brand colour, email previews, whose
//   srcdoc frame inherits this policy); images also from https: and data: (logos in emails, QR codes).
// - Strict-Transport-Security in production: browsers that once reached the portal over HTTPS keep
//   to HTTPS for a year.
import crypto from "node:crypto";

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  return crypto.randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string, mode: string | undefined): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    // Remix's development server reloads the page over a WebSocket.
    `connect-src 'self'${mode === "development" ? " ws: wss:" : ""}`,
    "media-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** The headers of one response, and the nonce its page's inline scripts carry. */
export function securityHeaders(mode: string | undefined): { nonce: string; headers: Record<string, string> } {
  const nonce = createNonce();
  const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy(nonce, mode) };
  if (mode === "production") headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return { nonce, headers };
}
