// The public certificate pages' frame and status badge (/verify/<code>, /verify): the brand, one card.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui";

export function VerifyShell({ brand, title, children }: { brand: string; title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card verify-card card stack">
        <div className="auth-brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          <span>{brand}</span>
        </div>
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
