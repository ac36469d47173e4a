-- Reaction tracking (issue 16): each invitation records the customer's CPM segment and loyalty quadrant when sent,
-- so response rates by segment and quadrant compare with the book's reaction rates. Earlier invitations keep null.
ALTER TABLE "survey_invitations" ADD COLUMN "segment" text;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD COLUMN "quadrant" text;