// Any other address no page answers: a 404 through the root error boundary, with the root loader's
// language and brand (without a matching route, Remix renders the boundary with no loader data).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { pageNotFound } from "~/utils/params.server";

export async function loader({ request }: LoaderFunctionArgs) {
  throw pageNotFound(request);
}

export async function action({ request }: ActionFunctionArgs) {
  throw pageNotFound(request);
}

export default function NotFound() {
  return null;
}
