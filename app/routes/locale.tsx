// Language switch: remembered in a cookie, and on the staff account when signed in.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { updateStaff } from "~/models/staff.server";
import { localeSchema } from "~/schemas/auth";
import { getStaffUser, safeRedirect } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { localeCookie } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, localeSchema);
  if (!parsed.ok) throw new Response("Unsupported language", { status: 400 });
  const user = await getStaffUser(request);
  if (user) await updateStaff(user.id, { locale: parsed.data.locale });
  throw redirect(safeRedirect(parsed.data.redirectTo, "/login"), {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) },
  });
}
