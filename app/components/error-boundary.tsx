// The one error boundary: a friendly page per status, used by every route.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let title = t("errors.title");
  let body = t("errors.generic");
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (error.status === 404) {
      title = t("errors.notFound");
      body = t("errors.notFoundBody");
    } else if (error.status === 403) {
      title = t("errors.forbidden");
      body = t("errors.forbiddenBody");
    } else if (typeof error.data === "string" && error.status < 500) {
      body = error.data;
    }
  } else if (typeof document === "undefined") {
    console.error(error);
  }
  return (
    <div className="card error-card" role="alert">
      <p className="error-status">{status}</p>
      <h1>{title}</h1>
      <p className="muted">{body}</p>
      <Link className="button" to="/staff">
        {t("errors.back")}
      </Link>
    </div>
  );
}
