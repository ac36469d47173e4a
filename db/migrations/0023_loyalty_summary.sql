CREATE TABLE "loyalty_summary" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"counts" jsonb NOT NULL,
	"stats_refreshed_at" timestamp with time zone,
	"settings_updated_at" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_summary_single_row" CHECK ("loyalty_summary"."id" = 1)
);
