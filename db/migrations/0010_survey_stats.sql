-- Survey results pre-aggregated per survey and current CPM segment ('' for anonymous answers and
-- customers without metrics): the results page sums at most eleven rows instead of scanning every
-- response. Refreshed (CONCURRENTLY, readers never wait) when responses or segments changed; see
-- app/models/survey-results.server.ts.
CREATE MATERIALIZED VIEW survey_stats AS
SELECT r.survey_id,
  coalesce(m.cpm_segment, '') AS segment,
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
  count(r.construct_scores->'cocreation_interest')::int AS cocreation_interest_n,
  count(r.loyalty_scores)::int AS alpha_n,
  coalesce(sum(t.total), 0)::float8 AS alpha_total_sum,
  coalesce(sum(t.total * t.total), 0)::float8 AS alpha_total_sumsq
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
LEFT JOIN LATERAL (SELECT sum(v) AS total FROM unnest(r.loyalty_scores) AS v) t ON r.loyalty_scores IS NOT NULL
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_stats_key ON survey_stats (survey_id, segment);
--> statement-breakpoint
-- Per loyalty item: the sums and sums of squares Cronbach's alpha needs (complete answers only).
CREATE MATERIALIZED VIEW survey_item_stats AS
SELECT r.survey_id,
  coalesce(m.cpm_segment, '') AS segment,
  u.pos::int AS pos,
  sum(u.v)::float8 AS s,
  sum(u.v * u.v)::float8 AS ss
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
CROSS JOIN LATERAL unnest(r.loyalty_scores) WITH ORDINALITY AS u(v, pos)
WHERE r.loyalty_scores IS NOT NULL
GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_item_stats_key ON survey_item_stats (survey_id, segment, pos);
--> statement-breakpoint
-- NPS by month across surveys (in the brand's time zone), per segment.
CREATE MATERIALIZED VIEW survey_month_stats AS
SELECT to_char(date_trunc('month', r.submitted_at AT TIME ZONE coalesce(b.time_zone, 'Asia/Tokyo')), 'YYYY-MM') AS month,
  coalesce(m.cpm_segment, '') AS segment,
  count(*)::int AS responses,
  count(*) FILTER (WHERE r.nps_category = 'promoter')::int AS promoters,
  count(*) FILTER (WHERE r.nps_category = 'detractor')::int AS detractors
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
LEFT JOIN brand_settings b ON b.id = 1
WHERE r.nps_category IS NOT NULL
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_month_stats_key ON survey_month_stats (month, segment);
--> statement-breakpoint
-- What the stats were computed from: the newest response id and the metrics refresh they saw.
CREATE TABLE survey_stats_state (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  refreshed_at timestamptz,
  last_response_id bigint NOT NULL DEFAULT 0,
  response_count bigint NOT NULL DEFAULT 0,
  metrics_refreshed_at timestamptz
);
--> statement-breakpoint
INSERT INTO survey_stats_state (id) VALUES (1);
