CREATE TABLE "candidate_marks" (
	"list" text NOT NULL,
	"customer_id" bigint NOT NULL,
	"mark" text NOT NULL,
	"note" text,
	"staff_user_id" integer,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidate_marks_list_customer_id_pk" PRIMARY KEY("list","customer_id"),
	CONSTRAINT "candidate_marks_list" CHECK ("candidate_marks"."list" in ('ambassador', 'cocreation')),
	CONSTRAINT "candidate_marks_mark" CHECK ("candidate_marks"."mark" in ('shortlisted', 'dismissed'))
);
--> statement-breakpoint
ALTER TABLE "brand_settings" ADD COLUMN "loyalty_settings" jsonb DEFAULT '{"borders":{"highSegments":["loyal_active","steady_active","trendy_active"],"psychBorder":70},"candidates":{"minScore":70,"tenureYears":3,"textChars":200,"ambassador":{"psych":3,"nps":2,"behaviour":2,"tenure":1,"interest":2},"cocreation":{"psych":3,"interest":3,"tenure":2,"text":2}}}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "candidate_marks" ADD CONSTRAINT "candidate_marks_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_marks" ADD CONSTRAINT "candidate_marks_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidate_marks_mark_idx" ON "candidate_marks" USING btree ("list","mark");