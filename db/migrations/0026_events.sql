CREATE SEQUENCE "public"."event_answer_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "event_invitees" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"customer_id" bigint,
	"member_id" bigint,
	"name" text NOT NULL,
	"email" text,
	"organisation" text,
	"role" text,
	"locale" text NOT NULL,
	"source" text NOT NULL,
	"cpm_segment" text,
	"quadrant" text,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invited_by" integer,
	"rsvp_status" text,
	"seats" integer DEFAULT 1 NOT NULL,
	"notes" text,
	"answered_at" timestamp with time zone,
	"answer_seq" bigint,
	"confirmed_at" timestamp with time zone,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"ticket_code" text,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" integer,
	"checked_in_door" text,
	CONSTRAINT "event_invitees_kind" CHECK ("event_invitees"."kind" in ('member', 'customer', 'employee', 'franchisee', 'supplier', 'partner')),
	CONSTRAINT "event_invitees_rsvp" CHECK ("event_invitees"."rsvp_status" is null or "event_invitees"."rsvp_status" in ('confirmed', 'waitlisted', 'declined', 'cancelled')),
	CONSTRAINT "event_invitees_seats" CHECK ("event_invitees"."seats" between 1 and 11),
	CONSTRAINT "event_invitees_ticket" CHECK ("event_invitees"."ticket_code" is null or "event_invitees"."rsvp_status" = 'confirmed'),
	CONSTRAINT "event_invitees_checked_in" CHECK ("event_invitees"."checked_in_at" is null or "event_invitees"."rsvp_status" = 'confirmed'),
	CONSTRAINT "event_invitees_queue" CHECK ("event_invitees"."rsvp_status" not in ('confirmed', 'waitlisted') or "event_invitees"."answer_seq" is not null)
);
--> statement-breakpoint
CREATE TABLE "event_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"invitee_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title_ja" text DEFAULT '' NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"description_ja" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"agenda_ja" text DEFAULT '' NOT NULL,
	"agenda_en" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"venue" text,
	"online_url" text,
	"capacity" integer NOT NULL,
	"rsvp_deadline" timestamp with time zone,
	"companions_allowed" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"cancel_message" text,
	"feedback_survey_id" bigint,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"feedback_sent_at" timestamp with time zone,
	CONSTRAINT "events_status" CHECK ("events"."status" in ('draft', 'published', 'done', 'cancelled')),
	CONSTRAINT "events_times" CHECK ("events"."ends_at" > "events"."starts_at"),
	CONSTRAINT "events_deadline" CHECK ("events"."rsvp_deadline" is null or "events"."rsvp_deadline" <= "events"."starts_at"),
	CONSTRAINT "events_capacity" CHECK ("events"."capacity" > 0),
	CONSTRAINT "events_companions" CHECK ("events"."companions_allowed" between 0 and 10),
	CONSTRAINT "events_title" CHECK ("events"."title_ja" <> '' or "events"."title_en" <> '')
);
--> statement-breakpoint
ALTER TABLE "event_invitees" ADD CONSTRAINT "event_invitees_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_invitees" ADD CONSTRAINT "event_invitees_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_invitees" ADD CONSTRAINT "event_invitees_member_id_programme_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."programme_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_invitees" ADD CONSTRAINT "event_invitees_invited_by_staff_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_invitees" ADD CONSTRAINT "event_invitees_checked_in_by_staff_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_links" ADD CONSTRAINT "event_links_invitee_id_event_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."event_invitees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_feedback_survey_id_surveys_id_fk" FOREIGN KEY ("feedback_survey_id") REFERENCES "public"."surveys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_invitees_customer_key" ON "event_invitees" USING btree ("event_id","customer_id") WHERE "event_invitees"."customer_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "event_invitees_email_key" ON "event_invitees" USING btree ("event_id",lower("email")) WHERE "event_invitees"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "event_invitees_ticket_key" ON "event_invitees" USING btree ("ticket_code");--> statement-breakpoint
CREATE INDEX "event_invitees_queue_idx" ON "event_invitees" USING btree ("event_id","rsvp_status","answer_seq");--> statement-breakpoint
CREATE INDEX "event_invitees_customer_idx" ON "event_invitees" USING btree ("customer_id") WHERE "event_invitees"."customer_id" is not null;--> statement-breakpoint
CREATE INDEX "event_links_invitee_idx" ON "event_links" USING btree ("invitee_id");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "events" USING btree ("starts_at");