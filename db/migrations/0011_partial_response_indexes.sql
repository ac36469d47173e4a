DROP INDEX "survey_responses_invitation";--> statement-breakpoint
DROP INDEX "survey_responses_submission";--> statement-breakpoint
DROP INDEX "survey_responses_customer";--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation" ON "survey_responses" USING btree ("invitation_id") WHERE "survey_responses"."invitation_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_submission" ON "survey_responses" USING btree ("survey_id","submission_id") WHERE "survey_responses"."submission_id" is not null;--> statement-breakpoint
CREATE INDEX "survey_responses_customer" ON "survey_responses" USING btree ("customer_id","submitted_at") WHERE "survey_responses"."customer_id" is not null;