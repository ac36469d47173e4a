-- The loyalty matrix's counts (issue 16): respondents with a score per CPM segment ('none': no purchase
-- yet), behaviour score (-1: none) and whole loyalty score (0–100), a few thousand rows instead of one
-- per respondent. A quadrant is a function of the segment and of score ≥ border, and the border is a
-- whole number (checkCandidateSettings), so floor(score) ≥ border exactly when score ≥ border: the
-- matrix page sums these rows with the current settings (getLoyaltyMatrix), the scatter groups them in
-- bins of 5. Refreshed right after customer_loyalty (refreshSurveyStats, refreshCustomerLoyalty).
CREATE MATERIALIZED VIEW loyalty_grid AS
SELECT coalesce(l.cpm_segment, 'none') AS cpm_segment,
  coalesce(l.behaviour_score, -1)::float8 AS behaviour_score,
  floor(l.psych_score)::int AS psych_floor,
  count(*)::int AS customers
FROM customer_loyalty l
WHERE l.psych_score IS NOT NULL
GROUP BY 1, 2, 3
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX loyalty_grid_key ON loyalty_grid (cpm_segment, behaviour_score, psych_floor);
