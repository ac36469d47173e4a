// The Content-Security-Policy nonce of this response (app/utils/security-headers.server.ts), for the
// few inline scripts Remix writes (hydration data, scroll restoration). Provided by entry.server; in
// the browser it is empty, and browsers hide a nonce attribute's value from scripts anyway.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
