-- Survey results pre-aggregated per survey and current CPM segment ('' for anonymous answers, 'none'
-- for customers without purchases): the results page sums a few rows instead of scanning every
-- response. The survey_* views are refreshed CONCURRENTLY (readers never wait, hence the unique
-- indexes) when responses or segments changed: refreshSurveyStats in app/models/survey-results.server.ts.
CREATE MATERIALIZED VIEW survey_stats AS
SELECT r.survey_id,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  count(*)::int AS responses,
  count(*) FILTER (WHERE r.nps_category = 'promoter')::int AS promoters,
  count(*) FILTER (WHERE r.nps_category = 'passive')::int AS passives,
  count(*) FILTER (WHERE r.nps_category = 'detractor')::int AS detractors,
  ARRAY[count(*) FILTER (WHERE r.nps_score = 0), count(*) FILTER (WHERE r.nps_score = 1), count(*) FILTER (WHERE r.nps_score = 2), count(*) FILTER (WHERE r.nps_score = 3), count(*) FILTER (WHERE r.nps_score = 4), count(*) FILTER (WHERE r.nps_score = 5), count(*) FILTER (WHERE r.nps_score = 6), count(*) FILTER (WHERE r.nps_score = 7), count(*) FILTER (WHERE r.nps_score = 8), count(*) FILTER (WHERE r.nps_score = 9), count(*) FILTER (WHERE r.nps_score = 10)]::int[] AS nps_dist,
  sum(r.psych_score)::float8 AS psych_sum,
  count(r.psych_score)::int AS psych_n,
  sum((r.construct_scores->>'attachment')::float8) AS attachment_sum,
  count(r.construct_scores->'attachment')::int AS attachment_n,
  sum((r.construct_scores->>'preference')::float8) AS preference_sum,
  count(r.construct_scores->'preference')::int AS preference_n,
  sum((r.construct_scores->>'continuity')::float8) AS continuity_sum,
  count(r.construct_scores->'continuity')::int AS continuity_n,
  sum((r.construct_scores->>'trust')::float8) AS trust_sum,
  count(r.construct_scores->'trust')::int AS trust_n,
  sum((r.construct_scores->>'recommend')::float8) AS recommend_sum,
  count(r.construct_scores->'recommend')::int AS recommend_n,
  sum((r.construct_scores->>'share_of_wallet')::float8) AS share_of_wallet_sum,
  count(r.construct_scores->'share_of_wallet')::int AS share_of_wallet_n,
  sum((r.construct_scores->>'ambassador_interest')::float8) AS ambassador_interest_sum,
  count(r.construct_scores->'ambassador_interest')::int AS ambassador_interest_n,
  sum((r.construct_scores->>'cocreation_interest')::float8) AS cocreation_interest_sum,
  count(r.construct_scores->'cocreation_interest')::int AS cocreation_interest_n
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_stats_key ON survey_stats (survey_id, segment);
