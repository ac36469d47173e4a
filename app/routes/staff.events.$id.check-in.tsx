// The door of a town meeting (issue 18), made for a phone: the camera scans tickets, or staff find a
// confirmed or waitlisted invitee by name, or add a walk-in. Every answer shows in one large coloured
// panel read out by screen readers: who it is (type, organisation, seats, their accessibility and diet
// notes), or why not (already in — when, by whom, at which door —, another event's ticket, waitlisted…).
// Each phone keeps its door name (localStorage) and sends it with each check-in.
//
// The action's contract (a benchmark depends on it): a check-in answers `{ result }`, the service's
// CheckInResult made serialisable, with status 200 for a check-in and for a refusal alike (the door must
// show them) and 400 for a malformed form; a walk-in answers `{ walkIn }`, or field errors, or a refusal.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { QrScanner } from "~/components/qr-scanner";
import { Alert, Badge, Button, Card, PageHeader, TextField } from "~/components/ui";
import type { InviteeRow } from "~/models/events.server";
import { waitlistPosition } from "~/models/events.server";
import { checkInSchema, walkInSchema } from "~/schemas/events";
import { addWalkIn, checkIn, EventError, eventInvitees, eventOverview, textIn, type CheckInResult } from "~/services/events.server";
import { eventInstant } from "~/services/events/form.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { idParam, pageNotFound } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

const SEARCH_LIMIT = 20;
const DOOR_KEY = "portal.eventDoor";
const walkInKinds = ["customer", "employee", "franchisee", "supplier", "partner"] as const;

/** What the door shows of an invitee: no ticket code, dates as ISO text. */
function inviteeView(i: InviteeRow, timeZone: string, locale: string) {
  return {
    id: i.id,
    name: i.name,
    kind: i.kind,
    organisation: i.organisation,
    role: i.role,
    email: i.email,
    seats: i.seats,
    notes: i.notes,
    rsvpStatus: i.rsvpStatus,
    cpmSegment: i.cpmSegment,
    walkIn: i.source === "walk_in",
    checkedInAt: i.checkedInAt?.toISOString() ?? null,
    checkedInAtText: i.checkedInAt ? eventInstant(i.checkedInAt, timeZone, locale) : null,
    checkedInDoor: i.checkedInDoor,
  };
}

export type DoorInvitee = ReturnType<typeof inviteeView>;

/** The service's CheckInResult as JSON: the invitee as the door shows it, instants as ISO text. */
function resultView(result: CheckInResult, timeZone: string, locale: string) {
  if (result.ok) return { ok: true as const, invitee: inviteeView(result.invitee, timeZone, locale), points: result.points };
  switch (result.reason) {
    case "already":
      return {
        ok: false as const,
        reason: "already" as const,
        at: result.at.toISOString(),
        atText: eventInstant(result.at, timeZone, locale),
        by: result.by,
        door: result.door,
        invitee: inviteeView(result.invitee, timeZone, locale),
      };
    case "other_event":
      return { ok: false as const, reason: "other_event" as const, eventTitle: result.eventTitle, eventTitleText: textIn(result.eventTitle, locale === "en" ? "en" : "ja") };
    default:
      return {
        ok: false as const,
        reason: result.reason,
        invitee: result.invitee ? inviteeView(result.invitee, timeZone, locale) : null,
        position: result.position ?? null,
      };
  }
}

export type DoorResult = ReturnType<typeof resultView>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  const overview = await eventOverview(id);
  if (!overview) throw pageNotFound(request);
  const locale = await getLocale(request);
  const { event, counts } = overview;
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) ?? "";
  // Only those holding or waiting for a seat can be at the door; the list is in queue order.
  const rows = q ? (await eventInvitees(id, { q, limit: 200 })).filter((r) => r.invitee.rsvpStatus === "confirmed" || r.invitee.rsvpStatus === "waitlisted") : [];
  const shown = rows.slice(0, SEARCH_LIMIT);
  const matches = await Promise.all(
    shown.map(async ({ invitee, checkedInByName }) => ({
      ...inviteeView(invitee, event.timeZone, locale),
      checkedInBy: checkedInByName,
      position: await waitlistPosition(invitee),
    })),
  );
  return {
    event: { id: event.id, title: textIn(event, locale), status: event.status },
    counts: { checkedIn: counts.checkedIn, confirmed: counts.confirmed },
    q,
    door: url.searchParams.get("door")?.trim().slice(0, 40) || "A",
    matches,
    more: rows.length > SEARCH_LIMIT,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const id = idParam(params.id);
  const form = await readForm(request);
  const overview = await eventOverview(id);
  if (!overview) throw pageNotFound(request);
  const { event } = overview;
  const locale = await getLocale(request);

  if (form.get("intent") === "walk_in") {
    const parsed = await parseForm(form, walkInSchema);
    if (!parsed.ok) return data({ walkInErrors: parsed.fieldErrors }, { status: 400 });
    const v = parsed.data;
    try {
      const row = await addWalkIn(
        id,
        { name: v.name, email: v.email || null, kind: v.kind, organisation: v.organisation || null, notes: v.notes || null },
        { id: user.id, door: v.door || null },
      );
      return { walkIn: inviteeView(row, event.timeZone, locale) };
    } catch (error) {
      if (error instanceof EventError) return data({ walkInRefusal: { key: error.key, details: error.details } }, { status: error.status });
      throw error;
    }
  }

  const parsed = await parseForm(form, checkInSchema);
  if (!parsed.ok) return data({ result: null, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const by = parsed.data.intent === "code" ? { code: parsed.data.code } : { inviteeId: parsed.data.inviteeId };
  const result = await checkIn(id, by, { id: user.id, door: parsed.data.door || null });
  return { result: resultView(result, event.timeZone, locale) };
}

/** The action's answers as the page receives them (JSON). */
type ActionData =
  | { result: DoorResult | null; fieldErrors?: Record<string, string> }
  | { walkIn: DoorInvitee }
  | { walkInErrors: Record<string, string> }
  | { walkInRefusal: { key: string; details: Record<string, string | number | null> } };

function readStoredDoor(): string | null {
  try {
    return window.localStorage.getItem(DOOR_KEY);
  } catch {
    return null;
  }
}

export default function EventDoor() {
  const { event, counts, q, door: doorFromUrl, matches, more } = useLoaderData<typeof loader>();
  const actionData = useActionData() as ActionData | undefined;
  const fetcher = useFetcher({ key: `door-${event.id}` });
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();

  // The door: "A" (or ?door=) on the server, then this phone's own from localStorage.
  const [door, setDoor] = useState(doorFromUrl);
  useEffect(() => {
    if (searchParams.get("door")) return;
    const stored = readStoredDoor();
    if (stored) setDoor(stored);
  }, [searchParams]);
  const changeDoor = (value: string) => {
    const next = value.slice(0, 40);
    setDoor(next);
    try {
      window.localStorage.setItem(DOOR_KEY, next.trim() || "A");
    } catch {
      // Private browsing: the door is kept for this page only.
    }
  };
  const doorValue = door.trim() || "A";

  const checking = fetcher.state !== "idle";
  const onCode = useCallback(
    (code: string) => {
      fetcher.submit({ intent: "code", code, door: doorValue }, { method: "post" });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doorValue, fetcher.submit],
  );

  // The newest answer: the fetcher's (with JS), or the plain form post's (without).
  const fetched = fetcher.data as ActionData | undefined;
  const checkInData = fetched && "result" in fetched ? fetched : actionData && "result" in actionData ? actionData : undefined;
  const result = checkInData?.result ?? null;
  const malformed = checkInData !== undefined && checkInData.result === null;

  // A short buzz tells the person at the door the answer without looking (where phones allow it).
  const seen = useRef<unknown>(null);
  useEffect(() => {
    if (!result || seen.current === result) return;
    seen.current = result;
    try {
      navigator.vibrate?.(result.ok ? 80 : [120, 60, 120]);
    } catch {
      // Not supported: nothing to do.
    }
  }, [result]);

  const open = event.status === "published";
  return (
    <div className="door-page">
      <PageHeader
        title={`${t("eventDoor.checkInTitle")}: ${event.title}`}
        actions={
          <Link className="button button-secondary" to={`/staff/events/${event.id}`}>
            {t("eventDoor.back")}
          </Link>
        }
      />
      {!open ? <Alert tone="error">{t("eventDoor.notOpen")}</Alert> : null}

      <div className="door-bar card">
        <p className="door-counter" aria-live="polite">
          {t("eventDoor.counter", { checkedIn: f.number(counts.checkedIn), confirmed: f.number(counts.confirmed) })}
        </p>
        <Form method="get" className="door-door-form" onSubmit={(e) => e.preventDefault()}>
          {q ? <input type="hidden" name="q" value={q} /> : null}
          <label className="door-door-field">
            <span className="field-label">{t("eventDoor.door")}</span>
            <input className="input door-door-input" name="door" value={door} maxLength={40} autoComplete="off" onChange={(e) => changeDoor(e.target.value)} aria-describedby="door-hint" />
          </label>
          <noscript>
            <button type="submit" className="button button-secondary">
              {t("eventDoor.setDoor")}
            </button>
          </noscript>
          <span id="door-hint" className="muted small">
            {t("eventDoor.doorHint")}
          </span>
        </Form>
      </div>

      <ResultPanel result={result} malformed={malformed} busy={checking} />

      <div className="grid two">
        <Card title={t("eventDoor.scanTitle")}>
          <div className="stack">
            <QrScanner
              onCode={onCode}
              paused={checking}
              labels={{ start: t("eventDoor.scanner.start"), stop: t("eventDoor.scanner.stop"), noCamera: t("eventDoor.scanner.noCamera"), permissionDenied: t("eventDoor.scanner.permissionDenied") }}
            />
            <fetcher.Form method="post" className="door-code-form" onSubmit={(e) => (e.currentTarget.elements.namedItem("code") as HTMLInputElement | null)?.select()}>
              <input type="hidden" name="intent" value="code" />
              <input type="hidden" name="door" value={doorValue} />
              <TextField label={t("eventDoor.code")} name="code" id="door-code" hint={t("eventDoor.codeHint")} autoComplete="off" autoCapitalize="off" spellCheck={false} required maxLength={200} />
              <Button type="submit" variant="secondary" busy={checking} disabled={checking}>
                {t("eventDoor.checkCode")}
              </Button>
            </fetcher.Form>
          </div>
        </Card>

        <Card title={t("eventDoor.searchTitle")}>
          <Form method="get" className="row gap" role="search">
            <input type="hidden" name="door" value={doorValue} />
            <label className="sr-only" htmlFor="door-q">
              {t("eventDoor.search")}
            </label>
            <input id="door-q" className="input grow door-search" type="search" name="q" defaultValue={q} placeholder={t("eventDoor.search")} autoComplete="off" />
            <Button type="submit" variant="secondary" busy={navigation.state === "loading" && navigation.location?.search.includes("q=")}>
              {t("eventDoor.searchButton")}
            </Button>
          </Form>
          {q && matches.length === 0 ? <p className="muted">{t("eventDoor.noMatch", { q })}</p> : null}
          {matches.length > 0 ? (
            <ul className="door-matches" data-testid="door-search">
              {matches.map((m) => (
                <li key={m.id} className="door-match">
                  <div className="door-match-who">
                    <strong>{m.name}</strong>
                    <span className="muted small">
                      {[t(`events.kinds.${m.kind}`), m.organisation].filter(Boolean).join(" · ")} · {t("eventDoor.seats", { count: m.seats })}
                    </span>
                    {m.rsvpStatus === "waitlisted" ? <Badge tone="warning">{m.position ? t("eventDoor.waitlistPosition", { position: m.position }) : t("events.detail.answer.waitlisted")}</Badge> : null}
                    {m.checkedInAtText ? (
                      <span className="small">
                        ✓ {t("eventDoor.checkedInAt", { time: m.checkedInAtText })}
                        {m.checkedInBy || m.checkedInDoor ? ` (${[m.checkedInBy, m.checkedInDoor].filter(Boolean).join(", ")})` : ""}
                      </span>
                    ) : null}
                    {m.notes ? <span className="door-notes-inline small">{m.notes}</span> : null}
                  </div>
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="invitee" />
                    <input type="hidden" name="inviteeId" value={m.id} />
                    <input type="hidden" name="door" value={doorValue} />
                    <Button type="submit" className="door-big-button" variant={m.checkedInAt || m.rsvpStatus !== "confirmed" ? "secondary" : "primary"} disabled={checking}>
                      {t("eventDoor.checkInButton")}
                      <span className="sr-only">: {m.name}</span>
                    </Button>
                  </fetcher.Form>
                </li>
              ))}
            </ul>
          ) : null}
          {more ? <p className="muted small">{t("eventDoor.moreMatches", { count: SEARCH_LIMIT })}</p> : null}
        </Card>
      </div>

      <WalkInCard door={doorValue} actionData={actionData} disabled={!open} />
    </div>
  );
}

function InviteeFacts({ invitee }: { invitee: DoorInvitee }) {
  const { t } = useTranslation();
  return (
    <div className="door-who">
      <p className="door-name">{invitee.name}</p>
      <p className="door-facts">
        {t(`events.kinds.${invitee.kind}`)}
        {invitee.walkIn ? ` · ${t("eventDoor.result.walkIn")}` : ""}
        {invitee.organisation ? ` · ${invitee.organisation}` : ""}
        {invitee.role ? ` · ${invitee.role}` : ""}
        {` · ${t("eventDoor.seats", { count: invitee.seats })}`}
      </p>
      {invitee.notes ? (
        <div className="door-notes">
          <span className="door-notes-label">{t("eventDoor.notes")}</span>
          <p className="pre-line">{invitee.notes}</p>
        </div>
      ) : null}
    </div>
  );
}

function ResultPanel({ result, malformed, busy }: { result: DoorResult | null; malformed: boolean; busy: boolean }) {
  const { t, i18n } = useTranslation();
  let tone: "idle" | "ok" | "warn" | "bad" = "idle";
  let body: ReactNode;
  if (malformed) {
    tone = "bad";
    body = <p className="door-headline">{t("eventDoor.result.malformed")}</p>;
  } else if (!result) {
    body = <p className="door-idle">{t("eventDoor.result.idle")}</p>;
  } else if (result.ok) {
    tone = "ok";
    body = (
      <>
        <p className="door-headline">✓ {t("eventDoor.result.ok")}</p>
        <InviteeFacts invitee={result.invitee} />
        {result.points ? <p className="small">{t("eventDoor.result.points")}</p> : null}
      </>
    );
  } else if (result.reason === "already") {
    tone = "warn";
    body = (
      <>
        <p className="door-headline">! {t("eventDoor.result.already")}</p>
        <p className="door-detail">
          {[t("eventDoor.result.alreadyDetail", { time: result.atText }), result.by ? t("eventDoor.result.alreadyBy", { name: result.by }) : null, result.door ? t("eventDoor.result.alreadyDoor", { door: result.door }) : null]
            .filter(Boolean)
            .join(" · ")}
        </p>
        <InviteeFacts invitee={result.invitee} />
      </>
    );
  } else if (result.reason === "other_event") {
    tone = "bad";
    const title = i18n.language === "en" ? result.eventTitle.en || result.eventTitle.ja : result.eventTitle.ja || result.eventTitle.en;
    body = <p className="door-headline">✕ {t("eventDoor.result.other_event", { title })}</p>;
  } else {
    const waitlisted = result.reason === "not_confirmed" && result.invitee?.rsvpStatus === "waitlisted";
    tone = waitlisted ? "warn" : "bad";
    const message =
      result.reason === "not_confirmed"
        ? waitlisted
          ? result.position
            ? t("eventDoor.result.waitlisted", { position: result.position })
            : t("eventDoor.result.waitlistedNoPosition")
          : t("eventDoor.result.not_confirmed", { status: t(`events.detail.answer.${result.invitee?.rsvpStatus ?? "none"}`) })
        : t(`eventDoor.result.${result.reason}`);
    body = (
      <>
        <p className="door-headline">✕ {message}</p>
        {result.invitee ? <InviteeFacts invitee={result.invitee} /> : null}
      </>
    );
  }
  return (
    <section className={`door-result door-result-${tone}`} aria-live="assertive" aria-atomic="true" aria-busy={busy || undefined} data-testid="door-result" data-ok={malformed ? "false" : result ? String(result.ok) : undefined}>
      {body}
    </section>
  );
}

function WalkInCard({ door, actionData, disabled }: { door: string; actionData: ActionData | undefined; disabled: boolean }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "walk_in";
  const serverErrors = actionData && "walkInErrors" in actionData ? actionData.walkInErrors : undefined;
  const refusal = actionData && "walkInRefusal" in actionData ? actionData.walkInRefusal : undefined;
  const added = actionData && "walkIn" in actionData ? actionData.walkIn : undefined;
  const form = useZodForm(walkInSchema, {
    defaultValues: { intent: "walk_in", name: "", email: "", kind: "customer", organisation: "", notes: "", door },
    serverErrors,
  });
  const { reset } = form;
  useEffect(() => {
    if (added) reset({ intent: "walk_in", name: "", email: "", kind: "customer", organisation: "", notes: "", door });
    // Only when a new walk-in was added.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [added?.id]);
  return (
    <Card title={t("eventDoor.walkIn.title")}>
      <p className="muted small">{t("eventDoor.walkIn.hint")}</p>
      {added ? <Alert tone="success">{t("eventDoor.walkIn.added", { name: added.name })}</Alert> : null}
      {refusal ? <Alert tone="error">{String(t(`events.errors.${refusal.key}`, { ...refusal.details, defaultValue: refusal.key }))}</Alert> : null}
      <Form method="post" className="stack" noValidate onSubmit={form.onSubmit}>
        <input type="hidden" name="intent" value="walk_in" />
        <input type="hidden" name="door" value={door} />
        <TextField label={t("eventDoor.walkIn.name")} autoComplete="off" {...form.register("name")} error={form.errorFor("name")} />
        <TextField label={t("eventDoor.walkIn.email")} type="email" autoComplete="off" {...form.register("email")} error={form.errorFor("email")} />
        <div className={`field ${form.errorFor("kind") ? "field-invalid" : ""}`}>
          <label htmlFor="walk-in-kind">{t("eventDoor.walkIn.kind")}</label>
          <select id="walk-in-kind" {...form.register("kind")}>
            {walkInKinds.map((k) => (
              <option key={k} value={k}>
                {t(`events.kinds.${k}`)}
              </option>
            ))}
          </select>
          {form.errorFor("kind") ? <p className="field-error">{form.errorFor("kind")}</p> : null}
        </div>
        <TextField label={t("eventDoor.walkIn.organisation")} autoComplete="off" {...form.register("organisation")} error={form.errorFor("organisation")} />
        <label className="field">
          <span className="field-label">{t("eventDoor.walkIn.notes")}</span>
          <textarea className="input" rows={2} maxLength={500} {...form.register("notes")} />
          {form.errorFor("notes") ? <span className="field-error">{form.errorFor("notes")}</span> : null}
        </label>
        <Button type="submit" busy={busy} disabled={busy || disabled}>
          {t("eventDoor.walkIn.add")}
        </Button>
      </Form>
    </Card>
  );
}
