// The event form's wall-clock times become the right instants in the event's zone (daylight saving
// included), the schema refuses what the service would, and a stakeholder CSV is read in either
// encoding with English or Japanese headers.
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { eventFormSchema } from "~/schemas/events";
import { eventFormValues, eventInputFrom } from "~/services/events/form.server";
import { readStakeholderCsv } from "~/services/events/stakeholders-csv.server";

const valid = {
  titleJa: "タウンミーティング",
  titleEn: "",
  startsAt: "2026-12-10T18:30",
  endsAt: "2026-12-10T20:30",
  timeZone: "Asia/Tokyo",
  venue: "渋谷",
  capacity: "50",
  companionsAllowed: "0",
  rsvpDeadline: "",
};

describe("the event form", () => {
  it("reads wall-clock times in the event's zone, across a daylight-saving change", () => {
    const tokyo = eventInputFrom(eventFormSchema.parse(valid));
    expect(tokyo.startsAt.toISOString()).toBe("2026-12-10T09:30:00.000Z");
    expect(tokyo.rsvpDeadline).toBeNull();
    // New York moves to summer time on 14 March 2027: 18:30 is UTC−5 the day before, UTC−4 the day after.
    const before = eventInputFrom(eventFormSchema.parse({ ...valid, timeZone: "America/New_York", startsAt: "2027-03-13T18:30", endsAt: "2027-03-13T20:30" }));
    const after = eventInputFrom(eventFormSchema.parse({ ...valid, timeZone: "America/New_York", startsAt: "2027-03-15T18:30", endsAt: "2027-03-15T20:30" }));
    expect(before.startsAt.toISOString()).toBe("2027-03-13T23:30:00.000Z");
    expect(after.startsAt.toISOString()).toBe("2027-03-15T22:30:00.000Z");
  });

  it("gives back the same form values for a saved event", () => {
    const input = eventInputFrom(eventFormSchema.parse({ ...valid, rsvpDeadline: "2026-12-08T23:59" }));
    const row = {
      titleJa: input.title.ja,
      titleEn: input.title.en,
      descriptionJa: "",
      descriptionEn: "",
      agendaJa: "",
      agendaEn: "",
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      timeZone: input.timeZone,
      venue: input.venue,
      onlineUrl: null,
      capacity: input.capacity,
      rsvpDeadline: input.rsvpDeadline,
      companionsAllowed: input.companionsAllowed,
    };
    const values = eventFormValues(row as Parameters<typeof eventFormValues>[0]);
    expect(values).toMatchObject({ startsAt: "2026-12-10T18:30", endsAt: "2026-12-10T20:30", rsvpDeadline: "2026-12-08T23:59", capacity: 50 });
  });

  it("refuses zero or negative seats, an end before the start, a deadline after the start, no title and no place, naming the field", () => {
    const issues = (v: object) => {
      const r = eventFormSchema.safeParse({ ...valid, ...v });
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(issues({ capacity: "0" })).toEqual({ capacity: "events.errors.not_positive_integer" });
    expect(issues({ capacity: "-5" })).toEqual({ capacity: "events.errors.not_positive_integer" });
    expect(issues({ endsAt: "2026-12-10T18:30" })).toEqual({ endsAt: "events.errors.end_not_after_start" });
    expect(issues({ rsvpDeadline: "2026-12-10T18:31" })).toEqual({ rsvpDeadline: "events.errors.deadline_after_start" });
    expect(issues({ titleJa: "", venue: "" })).toEqual({ titleJa: "events.errors.title_required", venue: "events.errors.venue_required" });
    expect(issues({ timeZone: "Mars/Olympus" })).toEqual({ timeZone: "events.errors.invalid_time_zone" });
    expect(issues({ companionsAllowed: "11" })).toEqual({ companionsAllowed: "events.errors.too_many" });
  });
});

describe("a stakeholder CSV", () => {
  it("reads UTF-8 with a BOM and English headers in any order", () => {
    const file = new TextEncoder().encode("\uFEFFemail,name,type,organisation\nsato@example.com,Sato,supplier,Sato Farm\n");
    expect(readStakeholderCsv(file)).toEqual({ ok: true, rows: [{ name: "Sato", email: "sato@example.com", kind: "supplier", organisation: "Sato Farm" }] });
  });

  it("reads Shift_JIS with Japanese headers, as Excel in Japan saves it", () => {
    const file = iconv.encode("氏名,メール,種別,所属,役職,言語\r\n佐藤 花子,hanako@example.com,加盟店,渋谷店,店長,ja\r\n", "cp932");
    const read = readStakeholderCsv(new Uint8Array(file));
    expect(read).toEqual({ ok: true, rows: [{ name: "佐藤 花子", email: "hanako@example.com", kind: "加盟店", organisation: "渋谷店", role: "店長", locale: "ja" }] });
  });

  it("says what is wrong with the file itself", () => {
    expect(readStakeholderCsv(new TextEncoder().encode("name,organisation\nx,y\n"))).toEqual({ ok: false, error: "missingColumns" });
    expect(readStakeholderCsv(new TextEncoder().encode("name,email,type\n"))).toEqual({ ok: false, error: "noRows" });
    expect(readStakeholderCsv(new TextEncoder().encode('name,email,type\n"unclosed,x,y\n'))).toMatchObject({ ok: false, error: "badFile" });
  });
});
