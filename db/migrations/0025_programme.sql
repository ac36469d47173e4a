CREATE TABLE "certificates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"code" text NOT NULL,
	"display_name" text NOT NULL,
	"programme_name" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"revoked_by" integer,
	CONSTRAINT "certificates_revoked_reason" CHECK ("certificates"."revoked_at" is null or "certificates"."revoke_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "member_activity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"note" text,
	"source_key" text NOT NULL,
	"details" jsonb,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"staff_user_id" integer,
	CONSTRAINT "member_activity_kind" CHECK ("member_activity"."kind" in ('referral_purchase', 'event_attended', 'survey_answered', 'cocreation', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "member_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_sign_in_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "programme_invitations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"reminder_token_hash" text,
	"status" text DEFAULT 'invited' NOT NULL,
	"message" text,
	"locale" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"cpm_segment" text,
	"quadrant" text,
	"staff_user_id" integer,
	CONSTRAINT "programme_invitations_status" CHECK ("programme_invitations"."status" in ('invited', 'accepted', 'declined', 'expired', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "programme_members" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"invitation_id" bigint,
	"display_name" text NOT NULL,
	"contact_consent" boolean NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"referral_code" text NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone,
	CONSTRAINT "programme_members_status" CHECK ("programme_members"."status" in ('active', 'paused', 'alumni')),
	CONSTRAINT "programme_members_points" CHECK ("programme_members"."points" >= 0)
);
--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "programme_settings" jsonb;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_member_id_programme_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."programme_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_revoked_by_staff_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_activity" ADD CONSTRAINT "member_activity_member_id_programme_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."programme_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_activity" ADD CONSTRAINT "member_activity_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_sessions" ADD CONSTRAINT "member_sessions_member_id_programme_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."programme_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_sign_in_links" ADD CONSTRAINT "member_sign_in_links_member_id_programme_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."programme_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_invitations" ADD CONSTRAINT "programme_invitations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_invitations" ADD CONSTRAINT "programme_invitations_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_members" ADD CONSTRAINT "programme_members_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_members" ADD CONSTRAINT "programme_members_invitation_id_programme_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."programme_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_code_key" ON "certificates" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_current_key" ON "certificates" USING btree ("member_id") WHERE "certificates"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "member_activity_source_key" ON "member_activity" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "member_activity_member_idx" ON "member_activity" USING btree ("member_id","occurred_at");--> statement-breakpoint
CREATE INDEX "member_sessions_member_idx" ON "member_sessions" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "member_sign_in_links_token_hash_key" ON "member_sign_in_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "member_sign_in_links_member_idx" ON "member_sign_in_links" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_invitations_token_hash_key" ON "programme_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_invitations_reminder_token_hash_key" ON "programme_invitations" USING btree ("reminder_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_invitations_open_key" ON "programme_invitations" USING btree ("customer_id") WHERE "programme_invitations"."status" = 'invited';--> statement-breakpoint
CREATE INDEX "programme_invitations_customer_idx" ON "programme_invitations" USING btree ("customer_id","sent_at");--> statement-breakpoint
CREATE INDEX "programme_invitations_due_idx" ON "programme_invitations" USING btree ("expires_at") WHERE "programme_invitations"."status" = 'invited';--> statement-breakpoint
CREATE UNIQUE INDEX "programme_members_customer_key" ON "programme_members" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_members_invitation_key" ON "programme_members" USING btree ("invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_members_referral_code_key" ON "programme_members" USING btree ("referral_code");--> statement-breakpoint
CREATE INDEX "purchases_referral_code_idx" ON "purchases" USING btree (upper(replace("referral_code", '-', ''))) WHERE "purchases"."referral_code" is not null;