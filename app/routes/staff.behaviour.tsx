// The behaviour pages' frame: each page says what date its metrics are as of, and whether that date is
// today or fixed in Settings (BehaviourTabs reads this loader).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useRouteLoaderData } from "@remix-run/react";
import { getMetricsState } from "~/models/metrics.server";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const { asOf, analysisDate } = await getMetricsState();
  return { asOf, fixed: analysisDate !== null };
}

export function useMetricsAsOf() {
  return useRouteLoaderData<typeof loader>("routes/staff.behaviour");
}

export default function BehaviourLayout() {
  return <Outlet />;
}
