// GET /staff/events/<id>/export.csv: the event's invitees, queue order first, with their answer, seats,
// waitlist place, notes and check-in. Cells that a spreadsheet would run as a formula are escaped
// (app/utils/csv.server.ts); `?bom=1` puts a byte-order mark first for Excel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client.server";
import { bigintArray } from "../../db/sql-arrays";
import { eventInvitees, eventOverview } from "~/services/events.server";
import { requireRole } from "~/utils/auth.server";
import { csvResponse } from "~/utils/csv.server";
import { idParam, pageNotFound } from "~/utils/params.server";

const eventExportColumns = [
  "invitee_id",
  "kind",
  "name",
  "email",
  "organisation",
  "role",
  "customer_id",
  "cpm_segment",
  "quadrant",
  "rsvp_status",
  "seats",
  "waitlist_position",
  "notes",
  "answered_at",
  "checked_in_at",
  "checked_in_door",
  "source",
] as const;

const BATCH = 1000;

/** The customers' external ids (what staff know them by), one query per batch. */
async function externalIds(customerIds: number[]) {
  if (customerIds.length === 0) return new Map<number, string>();
  const rows = await queryRows<{ id: number; external_id: string }>(sql`select id::int as id, external_id from customers where id = any(${bigintArray(customerIds)})`);
  return new Map(rows.map((r) => [Number(r.id), r.external_id]));
}

async function* exportRows(eventId: number): AsyncGenerator<(string | number | null)[][]> {
  // The list comes in queue order (confirmed, waitlisted, no answer, declined, cancelled; answer order
  // within each), so waitlist positions count up through it.
  let position = 0;
  for (let offset = 0; ; offset += BATCH) {
    const rows = await eventInvitees(eventId, { limit: BATCH, offset });
    const ids = await externalIds([...new Set(rows.map((r) => r.invitee.customerId).filter((id): id is number => id !== null))]);
    yield rows.map(({ invitee: i }) => [
      i.id,
      i.kind,
      i.name,
      i.email,
      i.organisation,
      i.role,
      i.customerId === null ? null : (ids.get(i.customerId) ?? String(i.customerId)),
      i.cpmSegment,
      i.quadrant,
      i.rsvpStatus ?? "none",
      i.rsvpStatus === "confirmed" || i.rsvpStatus === "waitlisted" ? i.seats : null,
      i.rsvpStatus === "waitlisted" ? ++position : null,
      i.notes,
      i.answeredAt?.toISOString() ?? null,
      i.checkedInAt?.toISOString() ?? null,
      i.checkedInDoor,
      i.source,
    ]);
    if (rows.length < BATCH) return;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const id = idParam(params.id);
  if (!(await eventOverview(id))) throw pageNotFound(request);
  const bom = new URL(request.url).searchParams.get("bom") === "1";
  return csvResponse(`event-${id}-invitees-${new Date().toISOString().slice(0, 10)}.csv`, eventExportColumns, exportRows(id), { bom });
}
