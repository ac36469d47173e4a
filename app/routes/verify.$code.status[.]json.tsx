// A certificate's status for machines (issue 17): {"status": "valid" | "expired" | "revoked", …}, the
// credential's credentialStatus. No private data: the code, the dates and the programme.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { verifyCertificate } from "~/services/programme.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await verifyCertificate(params.code ?? "");
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" };
  if (!found) return new Response(JSON.stringify({ status: "unknown" }), { status: 404, headers });
  const c = found.certificate;
  const body = {
    status: found.status,
    code: c.code,
    programme: c.programmeName,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt?.toISOString() ?? null,
    revokedAt: c.revokedAt?.toISOString() ?? null,
  };
  return new Response(JSON.stringify(body), { headers });
}
