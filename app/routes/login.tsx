import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LanguageSwitcher } from "~/components/language-switcher";
import { useZodForm } from "~/components/form";
import { Alert, Button, TextField } from "~/components/ui";
import { countStaff } from "~/models/staff.server";
import { loginSchema } from "~/schemas/auth";
import { getStaffUser, safeRedirect, signIn } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Loyalty Portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if ((await countStaff()) === 0) throw redirect("/setup");
  const url = new URL(request.url);
  if (await getStaffUser(request)) throw redirect(safeRedirect(url.searchParams.get("redirectTo")));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, loginSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: null }, { status: 400 });
  const result = await signIn(request, parsed.data.email, parsed.data.password);
  if (!result.ok) {
    const formError = result.reason === "throttled" ? "login.throttled" : "login.invalid";
    return data({ fieldErrors: {}, formError }, { status: result.reason === "throttled" ? 429 : 401 });
  }
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const form = useZodForm(loginSchema, { serverErrors: actionData?.fieldErrors });
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <div className="auth-brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          <span>{t("app.name")}</span>
        </div>
        <h1>{t("login.title")}</h1>
        <p className="muted">{t("login.subtitle")}</p>
        {params.get("signedOut") ? <Alert tone="success">{t("login.signedOut")}</Alert> : null}
        {actionData?.formError ? <Alert tone="error">{t(actionData.formError)}</Alert> : null}
        <Form method="post" onSubmit={form.onSubmit} noValidate className="stack">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextField
            label={t("login.email")}
            type="email"
            autoComplete="username"
            autoFocus
            {...form.register("email")}
            error={form.errorFor("email")}
          />
          <TextField
            label={t("login.password")}
            type="password"
            autoComplete="current-password"
            {...form.register("password")}
            error={form.errorFor("password")}
          />
          <Button type="submit" busy={busy} disabled={busy}>
            {busy ? t("login.submitting") : t("login.submit")}
          </Button>
        </Form>
        <LanguageSwitcher />
      </div>
    </main>
  );
}
