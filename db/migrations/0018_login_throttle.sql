-- Sign-in counters per address, per (address, account) and per account, counted before the password is checked (issue 14).
CREATE TABLE "login_throttle" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"attempts" integer NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_throttle_scope_key_pk" PRIMARY KEY("scope","key"),
	CONSTRAINT "login_throttle_scope_check" CHECK ("login_throttle"."scope" in ('address', 'pair', 'account'))
);
