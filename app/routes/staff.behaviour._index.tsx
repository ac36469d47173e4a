// The CPM matrix: ten segments with customers, share, spend and guidance; the share of active loyal.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CpmMatrix } from "~/components/cpm/matrix";
import { BehaviourTabs } from "~/components/cpm/tabs";
import { Button, Card, EmptyState, PageHeader, StatCard } from "~/components/ui";
import { roleAllows } from "~/domain/roles";
import { getMatrix, getMetricsState } from "~/models/metrics.server";
import { refreshBehaviour } from "~/services/behaviour.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export const ACTIVE_LOYAL_TARGET = 0.2;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const [matrix, state] = await Promise.all([getMatrix(), getMetricsState()]);
  return { matrix, state, canRefresh: roleAllows(user.role, "staff") };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  return refreshBehaviour();
}

export default function BehaviourMatrix() {
  const { matrix, state, canRefresh } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const navigation = useNavigation();
  const share = matrix.activeLoyalShare;
  return (
    <>
      <PageHeader
        title={t("cpm.title")}
        actions={
          canRefresh ? (
            <Form method="post">
              <Button variant="secondary" busy={navigation.state === "submitting"}>
                {t("cpm.refresh")}
              </Button>
            </Form>
          ) : null
        }
      />
      <BehaviourTabs />
      {matrix.segmented === 0 ? (
        <Card>
          <EmptyState icon="▤" title={t("cpm.emptyTitle")} body={t("cpm.emptyBody")} />
        </Card>
      ) : (
        <>
          <div className="grid stats">
            <StatCard label={t("cpm.segmented")} value={f.number(matrix.segmented)} />
            <StatCard
              label={t("cpm.activeLoyalShare")}
              value={f.percent(share)}
              hint={
                <span className="target">
                  <span className="meter" aria-hidden>
                    <span style={{ width: `${Math.min(100, (share / ACTIVE_LOYAL_TARGET) * 100)}%` }} />
                  </span>
                  {t("cpm.target", { target: f.percent(ACTIVE_LOYAL_TARGET) })}
                </span>
              }
            />
            <StatCard
              label={t("cpm.borders")}
              value={<span className="stat-small">{t("cpm.bordersValue", { tenure: state.tenureBorderDays, spend: f.money(state.spendBorder), lapse: state.lapseBorderDays })}</span>}
            />
          </div>
          <Card title={t("cpm.matrixTitle")}>
            <CpmMatrix cells={matrix.cells} />
          </Card>
        </>
      )}
    </>
  );
}
