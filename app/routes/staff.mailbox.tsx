import type { LoaderFunctionArgs } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  return null;
}

export default function Page() {
  return <ComingSoon titleKey="nav.mailbox" icon="✉" />;
}
