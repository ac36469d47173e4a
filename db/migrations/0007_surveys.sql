CREATE TABLE "survey_drafts" (
	"draft_key" text PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"answers" jsonb NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "survey_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"invitation_id" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_questions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"definition" jsonb NOT NULL,
	"construct" text
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"invitation_id" bigint,
	"customer_id" bigint,
	"submission_id" uuid,
	"locale" text NOT NULL,
	"answers" jsonb NOT NULL,
	"psych_score" numeric(5, 1),
	"nps_score" smallint,
	"nps_category" text,
	"construct_scores" jsonb NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_channel" CHECK ("survey_responses"."channel" in ('link', 'open', 'import')),
	CONSTRAINT "survey_responses_nps" CHECK ("survey_responses"."nps_score" between 0 and 10)
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" jsonb NOT NULL,
	"intro" jsonb NOT NULL,
	"thanks" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"layout" text DEFAULT 'one_per_page' NOT NULL,
	"link_days" integer DEFAULT 30 NOT NULL,
	"reminder_days" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"previous_id" bigint,
	"open_token" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "surveys_status" CHECK ("surveys"."status" in ('draft', 'open', 'closed')),
	CONSTRAINT "surveys_layout" CHECK ("surveys"."layout" in ('one_per_page', 'all_on_one')),
	CONSTRAINT "surveys_days" CHECK ("surveys"."link_days" between 1 and 365 and ("surveys"."reminder_days" is null or "surveys"."reminder_days" between 1 and 60))
);
--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "construct_weights" jsonb DEFAULT '{"attachment":1,"preference":1,"continuity":1,"trust":1,"recommend":1}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_drafts" ADD CONSTRAINT "survey_drafts_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_links" ADD CONSTRAINT "survey_links_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_customer" ON "survey_invitations" USING btree ("survey_id","customer_id");--> statement-breakpoint
CREATE INDEX "survey_links_invitation" ON "survey_links" USING btree ("invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questions_key" ON "survey_questions" USING btree ("survey_id","key");--> statement-breakpoint
CREATE INDEX "survey_questions_position" ON "survey_questions" USING btree ("survey_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation" ON "survey_responses" USING btree ("invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_submission" ON "survey_responses" USING btree ("survey_id","submission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_imported" ON "survey_responses" USING btree ("survey_id","customer_id","submitted_at") WHERE "survey_responses"."channel" = 'import';--> statement-breakpoint
CREATE INDEX "survey_responses_survey" ON "survey_responses" USING btree ("survey_id","submitted_at");--> statement-breakpoint
CREATE INDEX "survey_responses_customer" ON "survey_responses" USING btree ("customer_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_open_token_key" ON "surveys" USING btree ("open_token");