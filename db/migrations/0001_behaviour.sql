CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "import_errors" (
	"job_id" bigint NOT NULL,
	"row" integer NOT NULL,
	"column" text NOT NULL,
	"value" text NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"encoding" text,
	"bytes_total" bigint,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_valid" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"customers_created" integer DEFAULT 0 NOT NULL,
	"file_error" jsonb,
	"staff_user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "customers_email_idx";--> statement-breakpoint
ALTER TABLE "purchases" ALTER COLUMN "dedupe_key" SET DATA TYPE uuid USING md5("dedupe_key")::uuid;--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "tenure_border_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "spend_border" numeric(14, 2) DEFAULT '30000' NOT NULL;--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "lapse_border_days" integer DEFAULT 180 NOT NULL;--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "metrics_as_of" date;--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "metrics_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_job_id_import_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."import_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_errors_job_row_idx" ON "import_errors" USING btree ("job_id","row");--> statement-breakpoint
CREATE INDEX "customers_name_trgm_idx" ON "customers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "customers" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
ALTER TABLE "brand_settings" ADD CONSTRAINT "brand_settings_borders" CHECK ("brand_settings"."tenure_border_days" > 0 and "brand_settings"."lapse_border_days" > 0 and "brand_settings"."spend_border" > 0);