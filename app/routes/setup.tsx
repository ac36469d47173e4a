// First run only: creates the founding admin, then answers 404 for good.
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useZodForm } from "~/components/form";
import { Button, TextField } from "~/components/ui";
import { countStaff } from "~/models/staff.server";
import { setupSchema } from "~/schemas/auth";
import { signIn } from "~/utils/auth.server";
import { hashPassword } from "~/utils/crypto.server";
import { parseForm } from "~/utils/forms.server";
import { insertStaff } from "~/models/staff.server";

export const meta: MetaFunction = () => [{ title: "Setup · Loyalty Portal" }];

async function requireNoStaff() {
  if ((await countStaff()) > 0) throw new Response("Not Found", { status: 404 });
}

export async function loader() {
  await requireNoStaff();
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireNoStaff();
  const parsed = await parseForm(request, setupSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const created = await insertStaff({
    name: parsed.data.name,
    email: parsed.data.email,
    passwordHash: await hashPassword(parsed.data.password),
    role: "admin",
    isFounder: true,
  });
  // Another request won the race for the founder slot: this one changes nothing.
  if (!created) throw new Response("Not Found", { status: 404 });
  const result = await signIn(request, parsed.data.email, parsed.data.password);
  throw redirect("/staff", result.ok ? { headers: { "Set-Cookie": result.setCookie } } : undefined);
}

export default function Setup() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const form = useZodForm(setupSchema, { serverErrors: actionData?.fieldErrors });
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <h1>{t("setup.title")}</h1>
        <p className="muted">{t("setup.subtitle")}</p>
        <Form method="post" onSubmit={form.onSubmit} noValidate className="stack">
          <TextField label={t("setup.name")} autoComplete="name" {...form.register("name")} error={form.errorFor("name")} />
          <TextField label={t("setup.email")} type="email" autoComplete="username" {...form.register("email")} error={form.errorFor("email")} />
          <TextField
            label={t("setup.password")}
            type="password"
            autoComplete="new-password"
            hint={t("setup.passwordHint")}
            {...form.register("password")}
            error={form.errorFor("password")}
          />
          <Button type="submit" busy={navigation.state !== "idle"}>
            {t("setup.submit")}
          </Button>
        </Form>
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return (
    <main className="page-center">
      <GeneralErrorBoundary />
    </main>
  );
}
