// Personal links and sessions hold at least 128 random bits and the database keeps only their hash:
// after a survey invitation and a staff sign-in, no table but the outbox (which must send the link)
// holds either token, while their SHA-256 hashes are there. Both databases.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { inviteRecipients } from "~/services/survey-distribution.server";
import { createEvent, inviteStakeholders, publishEvent } from "~/services/events.server";
import { hashToken } from "~/utils/crypto.server";
import { getSessionCookie } from "~/utils/session.server";
import { useTestDatabase } from "../setup/db";
import { staffSession } from "../support/requests";

/** The text, varchar, json(b), array and bytea columns of every table (pg_catalog: information_schema is slow on PGlite). */
function textColumns() {
  return queryRows<{ table: string; column: string; type: string }>(
    sql`select c.relname as "table", a.attname as "column", case when a.atttypid = 'bytea'::regtype then 'bytea' else 'text' end as type
        from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
        where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
          and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype, 'bytea'::regtype)
               or (select typcategory from pg_type where oid = a.atttypid) = 'A')`,
  );
}

/** Every table column (but those of the tables named) holding `needle` in some row. */
async function tablesHolding(needle: string, except: string[]): Promise<string[]> {
  const columns = (cachedColumns ??= await textColumns());
  const checks = columns
    .filter((c) => !except.includes(c.table))
    .map(({ table, column, type }) => {
      const asText = type === "bytea" ? sql`encode(${sql.identifier(column)}, 'escape')` : sql`${sql.identifier(column)}::text`;
      return sql`select ${`${table}.${column}`}::text as at from ${sql.identifier(table)} where strpos(${asText}, ${needle}) > 0`;
    });
  const rows = await queryRows<{ at: string }>(sql`select distinct at from (${sql.join(checks, sql` union all `)}) hits order by at`);
  return rows.map((r) => r.at);
}

let cachedColumns: Awaited<ReturnType<typeof textColumns>> | undefined;

describe("tokens at rest", () => {
  useTestDatabase();

  it("keeps only the hash of a survey link's token, a session's and an RSVP link's, each of 128 bits or more", async () => {
    await queryRows(sql`insert into customers (external_id, email, name, locale, marketing_consent) values ('C1', 'c1@example.com', 'Customer 1', 'ja', true)`);
    const template = loyaltyTemplate();
    const surveyId = await createSurvey({ ...template, layout: "one_per_page", linkDays: 30, reminderDays: 7 }, template.questions, null);
    await setSurveyStatus(surveyId, "open");
    await inviteRecipients(surveyId, { kind: "all" });
    const [mail] = await queryRows<{ url: string }>(sql`select data->>'surveyUrl' as url from outbox_messages`);
    const linkToken = mail!.url.split("/s/")[1]!;

    const { cookie } = await staffSession("viewer");
    const sessionToken = String(await getSessionCookie().parse(cookie));

    // A town meeting's personal RSVP link (issue 18).
    const startsAt = new Date(Date.now() + 86_400_000);
    const event = await createEvent(
      {
        title: { ja: "集い", en: "Meeting" },
        description: { ja: "", en: "" },
        agenda: { ja: "", en: "" },
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        timeZone: "Asia/Tokyo",
        venue: "渋谷",
        onlineUrl: null,
        capacity: 10,
        rsvpDeadline: null,
        companionsAllowed: 0,
      },
      null,
    );
    await inviteStakeholders(event.id, [{ name: "S", email: "s@example.com", kind: "supplier" }], "stakeholder", null);
    await publishEvent(event.id);
    const [rsvp] = await queryRows<{ url: string }>(sql`select data->>'rsvpUrl' as url from outbox_messages where template = 'event-invitation'`);
    const rsvpToken = rsvp!.url.split("/e/")[1]!;

    for (const [name, token] of [["survey link", linkToken], ["session", sessionToken], ["RSVP link", rsvpToken]] as const) {
      expect(Buffer.from(token, "base64url").length * 8, name).toBeGreaterThanOrEqual(128);
      expect(await tablesHolding(token, ["outbox_messages"]), `${name} token stored`).toEqual([]);
      expect((await tablesHolding(hashToken(token), [])).length, `${name} hash stored`).toBeGreaterThan(0);
    }
  });
});
