// The certificate as an Open Badges 3.0 OpenBadgeCredential signed as a VC-JWT (issue 17); verifiable
// with /.well-known/jwks.json alone. A revoked certificate's credential is still served (it verifies as
// a signature) and its credentialStatus URL says revoked.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { credentialOf } from "~/services/programme.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const jwt = await credentialOf(params.code ?? "");
  if (!jwt) throw new Response("Not found", { status: 404 });
  return new Response(jwt, { headers: { "Content-Type": "application/vc+jwt", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" } });
}
