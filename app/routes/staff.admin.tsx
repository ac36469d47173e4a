// Admin only: staff accounts (add, change role, deactivate).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { Alert, Badge, Button, Card, PageHeader, SelectField, TableWrap, TextField } from "~/components/ui";
import { roles } from "~/domain/roles";
import { listStaff } from "~/models/staff.server";
import { newStaffSchema, staffChangeSchema } from "~/schemas/auth";
import { addStaffAccount, changeStaffAccount } from "~/services/staff-accounts.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireRole(request, "admin");
  return { me: me.id, accounts: await listStaff() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const formData = await readForm(request);
  if (formData.get("intent") === "add") {
    const parsed = await parseForm(formData, newStaffSchema);
    if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: null, done: false }, { status: 400 });
    const result = await addStaffAccount(parsed.data);
    if (!result.ok) return data({ fieldErrors: { email: result.error }, formError: null, done: false }, { status: 409 });
    return { fieldErrors: {}, formError: null, done: true };
  }
  const parsed = await parseForm(formData, staffChangeSchema);
  if (!parsed.ok) throw new Response("Bad request", { status: 400 });
  const change = parsed.data.intent === "role" ? { role: parsed.data.role } : { active: parsed.data.active };
  const result = await changeStaffAccount(parsed.data.userId, change);
  if (!result.ok) return data({ fieldErrors: {}, formError: result.error, done: false }, { status: 409 });
  return { fieldErrors: {}, formError: null, done: true };
}

export default function StaffAccounts() {
  const { me, accounts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const f = useFormat();
  const form = useZodForm(newStaffSchema, { serverErrors: actionData?.fieldErrors, defaultValues: { role: "staff" } });
  const roleOptions = roles.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <>
      <PageHeader title={t("admin.title")} subtitle={t("admin.subtitle")} />
      {actionData?.formError ? <Alert tone="error">{t(actionData.formError)}</Alert> : null}
      <Card>
        <TableWrap label={t("admin.title")}>
          <table className="table">
            <thead>
              <tr>
                <th>{t("admin.name")}</th>
                <th>{t("admin.email")}</th>
                <th>{t("admin.role")}</th>
                <th>{t("admin.status")}</th>
                <th>{t("admin.created")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} className={a.active ? "" : "row-muted"}>
                  <td>
                    {a.name} {a.id === me ? <Badge>{t("admin.self")}</Badge> : null}
                  </td>
                  <td>{a.email}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={a.id} />
                      <select name="role" defaultValue={a.role} aria-label={`${t("admin.changeRole")}: ${a.name}`}>
                        {roleOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                      <Button variant="secondary" type="submit">
                        {t("admin.changeRole")}
                      </Button>
                    </Form>
                  </td>
                  <td>{a.active ? <Badge tone="success">{t("common.active")}</Badge> : <Badge tone="warning">{t("common.inactive")}</Badge>}</td>
                  <td>{f.date(a.createdAt)}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="active" />
                      <input type="hidden" name="userId" value={a.id} />
                      <input type="hidden" name="active" value={a.active ? "false" : "true"} />
                      <Button variant={a.active ? "danger" : "secondary"} type="submit">
                        {a.active ? t("admin.deactivate") : t("admin.reactivate")}
                      </Button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </Card>
      <Card title={t("admin.add")}>
        <p className="muted">{t("admin.roleHelp")}</p>
        <Form method="post" onSubmit={form.onSubmit} noValidate className="form-grid">
          <input type="hidden" name="intent" value="add" />
          <TextField label={t("admin.name")} {...form.register("name")} error={form.errorFor("name")} />
          <TextField label={t("admin.email")} type="email" {...form.register("email")} error={form.errorFor("email")} />
          <SelectField label={t("admin.role")} options={roleOptions} {...form.register("role")} error={form.errorFor("role")} />
          <TextField label={t("admin.password")} type="password" autoComplete="new-password" {...form.register("password")} error={form.errorFor("password")} />
          <div className="form-actions">
            <Button type="submit" busy={navigation.state === "submitting"}>
              {t("admin.submit")}
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
