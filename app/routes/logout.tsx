import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/utils/auth.server";

export async function loader() {
  throw redirect("/staff");
}

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await signOut(request);
  throw redirect("/login?signedOut=1", { headers: { "Set-Cookie": cookie } });
}
