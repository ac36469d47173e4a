// The issuer's public keys (issue 17): a JSON Web Key Set that verifies every certificate credential
// (/verify/<code>/credential.jwt) on its own, with no other call to the portal.
import { publicJwks } from "~/services/certificates/keys.server";

export async function loader() {
  return new Response(JSON.stringify(await publicJwks()), {
    headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
