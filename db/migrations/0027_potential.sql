CREATE TABLE "potential_fits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"as_of" date NOT NULL,
	"purpose" text NOT NULL,
	"fitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"converged" boolean NOT NULL,
	"params" jsonb,
	"log_likelihood" double precision,
	"customers" integer NOT NULL,
	"iterations" integer NOT NULL,
	"seconds" double precision NOT NULL,
	"message" text,
	"reason_code" text,
	"reason_values" jsonb,
	CONSTRAINT "potential_fits_model" CHECK ("potential_fits"."model" in ('bgnbd', 'gamma_gamma')),
	CONSTRAINT "potential_fits_purpose" CHECK ("potential_fits"."purpose" in ('current', 'validation')),
	CONSTRAINT "potential_fits_params" CHECK ("potential_fits"."converged" = ("potential_fits"."params" is not null))
);
--> statement-breakpoint
CREATE TABLE "potential_predictions" (
	"x" integer NOT NULL,
	"t" integer NOT NULL,
	"expected_if_alive" double precision NOT NULL,
	CONSTRAINT "potential_predictions_x_t_pk" PRIMARY KEY("x","t")
);
--> statement-breakpoint
CREATE TABLE "potential_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"as_of" date NOT NULL,
	"bgnbd_fit_id" bigint,
	"gamma_gamma_fit_id" bigint,
	"horizon_days" integer DEFAULT 90 NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "potential_state_single_row" CHECK ("potential_state"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "potential_state" ADD CONSTRAINT "potential_state_bgnbd_fit_id_potential_fits_id_fk" FOREIGN KEY ("bgnbd_fit_id") REFERENCES "public"."potential_fits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "potential_state" ADD CONSTRAINT "potential_state_gamma_gamma_fit_id_potential_fits_id_fk" FOREIGN KEY ("gamma_gamma_fit_id") REFERENCES "public"."potential_fits"("id") ON DELETE no action ON UPDATE no action;