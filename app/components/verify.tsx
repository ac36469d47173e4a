// The programme's shared pieces: the public pages' frame, brand mark and certificate status badge
// (/verify, /join, /m), and a member's activity table (the member area and the staff's member page).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Badge, EmptyState, TableWrap } from "~/components/ui";
import { useFormat } from "~/utils/use-format";

export function VerifyShell({ brand, title, children }: { brand: string; title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card verify-card card stack">
        {brand ? <BrandMark brand={brand} /> : null}
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

const tones = { valid: "success", expired: "warning", revoked: "danger" } as const;

export function CertificateStatusBadge({ status }: { status: "valid" | "expired" | "revoked" }) {
  const { t } = useTranslation();
  return (
    <p className="verify-status" data-status={status}>
      <Badge tone={tones[status]}>{t(`verify.status.${status}`)}</Badge>
    </p>
  );
}

/** A member's activity and points, newest first (the member area and the staff's member page). */
export function ActivityTable({ rows, emptyBody }: { rows: { id: number; kind: string; points: number; note: string | null; occurredAt: string | Date }[]; emptyBody?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (rows.length === 0) return <EmptyState title={t("member.noActivity")} body={emptyBody} />;
  return (
    <TableWrap label={t("member.activity")}>
      <table className="table">
        <thead>
          <tr>
            <th>{t("member.when")}</th>
            <th>{t("member.what")}</th>
            <th className="num">{t("member.points")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <td>{f.date(a.occurredAt)}</td>
              <td>
                <Badge>{t(`member.kinds.${a.kind}`)}</Badge> {a.note ?? ""}
              </td>
              <td className="num">{f.number(a.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The brand above a public page's card (invitation, verification, member sign-in). */
export function BrandMark({ brand }: { brand: string }) {
  return (
    <div className="auth-brand">
      <span className="logo" aria-hidden>
        ◆
      </span>
      <span>{brand}</span>
    </div>
  );
}
