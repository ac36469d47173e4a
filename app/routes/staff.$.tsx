// Any address under /staff that no page answers: a 404 inside the staff frame (the layout's error
// boundary), in the user's language, rather than Remix's bare not-found page without loader data.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/utils/auth.server";
import { pageNotFound } from "~/utils/params.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  throw pageNotFound(request);
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "viewer");
  throw pageNotFound(request);
}

export default function StaffNotFound() {
  return null;
}
