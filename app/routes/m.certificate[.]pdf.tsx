// The signed-in member's own certificate as a printable A4 PDF (issue 17), in their language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificatePdfOf } from "~/services/programme.server";
import { getLocale } from "~/utils/locale.server";
import { requireMember } from "~/utils/member-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const locale = await getLocale(request);
  const found = await certificatePdfOf(member.id, locale);
  if (!found) throw new Response("Not found", { status: 404 });
  return new Response(found.pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${found.code}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
