// Town meetings' forms (issue 18), checked by these same schemas in the browser and in the actions.
// Messages are keys under `events.errors`, worded in the reader's language by the page. Dates are the
// wall-clock time of the event's own time zone ("2026-12-10T18:00" in Asia/Tokyo); the action turns them
// into instants with the zone (app/services/events/form.server.ts).
import { z } from "zod";
import { isTimeZone, MAX_CAPACITY, MAX_COMPANIONS, stakeholderKinds } from "~/domain/events";

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const localDateTime = z.string().trim().regex(LOCAL_DATETIME, "events.errors.invalid_date");
const text = (max: number) => z.string().trim().max(max, "events.errors.too_long").default("");

export const eventFormSchema = z
  .object({
    titleJa: text(200),
    titleEn: text(200),
    descriptionJa: text(5000),
    descriptionEn: text(5000),
    agendaJa: text(5000),
    agendaEn: text(5000),
    startsAt: localDateTime,
    endsAt: localDateTime,
    timeZone: z.string().trim().refine(isTimeZone, "events.errors.invalid_time_zone"),
    venue: text(300),
    onlineUrl: z
      .string()
      .trim()
      .max(500, "events.errors.too_long")
      .refine((v) => v === "" || /^https:\/\/[^\s]+$/i.test(v), "events.errors.online_url")
      .default(""),
    capacity: z.coerce
      .number({ invalid_type_error: "events.errors.not_positive_integer" })
      .int("events.errors.not_positive_integer")
      .min(1, "events.errors.not_positive_integer")
      .max(MAX_CAPACITY, "events.errors.too_large"),
    rsvpDeadline: z.union([z.literal(""), localDateTime]).default(""),
    companionsAllowed: z.coerce
      .number({ invalid_type_error: "events.errors.not_integer" })
      .int("events.errors.not_integer")
      .min(0, "events.errors.negative")
      .max(MAX_COMPANIONS, "events.errors.too_many"),
  })
  .superRefine((v, ctx) => {
    if (!v.titleJa && !v.titleEn) ctx.addIssue({ code: "custom", path: ["titleJa"], message: "events.errors.title_required" });
    if (!v.venue && !v.onlineUrl) ctx.addIssue({ code: "custom", path: ["venue"], message: "events.errors.venue_required" });
    // Both are the same zone's wall-clock time, so the strings compare as the instants do.
    if (LOCAL_DATETIME.test(v.startsAt) && LOCAL_DATETIME.test(v.endsAt) && v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "events.errors.end_not_after_start" });
    if (v.rsvpDeadline && LOCAL_DATETIME.test(v.startsAt) && v.rsvpDeadline > v.startsAt)
      ctx.addIssue({ code: "custom", path: ["rsvpDeadline"], message: "events.errors.deadline_after_start" });
  });

export type EventFormValues = z.infer<typeof eventFormSchema>;

/** Publish, finish or cancel; cancelling carries an optional message and the count the confirm step showed. */
export const eventStatusSchema = z.object({
  intent: z.enum(["publish", "finish", "cancel"]),
  message: z.string().trim().max(1000, "events.errors.too_long").default(""),
  confirmed: z.coerce.number().int().min(0).optional(),
});

/** The invitee's answer on /e/<token>. */
export const rsvpSchema = z.object({
  intent: z.enum(["attend", "decline"]),
  seats: z.coerce.number({ invalid_type_error: "events.errors.seats" }).int("events.errors.seats").min(1, "events.errors.seats").max(1 + MAX_COMPANIONS, "events.errors.seats").default(1),
  notes: z.string().trim().max(500, "events.errors.too_long").default(""),
});

export const rsvpCancelSchema = z.object({ intent: z.literal("cancel") });

/** Staff invite customers: the programme's members, the candidate shortlist, a CPM segment or a quadrant. */
export const inviteCustomersSchema = z.object({
  intent: z.literal("customers"),
  selection: z.enum(["members", "shortlist_ambassador", "shortlist_cocreation", "segment", "quadrant"]),
  segment: z.string().trim().default(""),
  quadrant: z.string().trim().default(""),
  confirmed: z.coerce.number().int().min(0).optional(),
});

/** One stakeholder added by hand. */
export const stakeholderSchema = z.object({
  intent: z.literal("stakeholder"),
  name: z.string().trim().min(1, "events.errors.required").max(200, "events.errors.too_long"),
  email: z.string().trim().min(1, "events.errors.required").max(254, "events.errors.invalid_email").email("events.errors.invalid_email"),
  kind: z.enum(stakeholderKinds, { errorMap: () => ({ message: "events.errors.unknown_kind" }) }),
  organisation: z.string().trim().max(200, "events.errors.too_long").default(""),
  role: z.string().trim().max(200, "events.errors.too_long").default(""),
  locale: z.enum(["ja", "en"]).default("ja"),
});

/** The door: a scanned code, or an invitee found by name. */
export const checkInSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("code"), code: z.string().trim().min(1).max(200), door: z.string().trim().max(40).default("") }),
  z.object({ intent: z.literal("invitee"), inviteeId: z.coerce.number().int().positive(), door: z.string().trim().max(40).default("") }),
]);

export const walkInSchema = z.object({
  intent: z.literal("walk_in"),
  name: z.string().trim().min(1, "events.errors.required").max(200, "events.errors.too_long"),
  email: z
    .string()
    .trim()
    .max(254, "events.errors.invalid_email")
    .refine((v) => v === "" || z.string().email().safeParse(v).success, "events.errors.invalid_email")
    .default(""),
  kind: z.enum(["customer", "employee", "franchisee", "supplier", "partner"]).default("customer"),
  organisation: z.string().trim().max(200, "events.errors.too_long").default(""),
  notes: z.string().trim().max(500, "events.errors.too_long").default(""),
  door: z.string().trim().max(40).default(""),
});

export const feedbackSchema = z.object({
  intent: z.literal("feedback"),
  surveyId: z.coerce.number({ invalid_type_error: "events.errors.survey" }).int().positive("events.errors.survey"),
  confirmed: z.coerce.number().int().min(0).optional(),
});
