-- Per slot: the count, sum and sum of squares Cronbach's alpha needs (complete constructs only).
CREATE MATERIALIZED VIEW survey_alpha_stats AS
SELECT r.survey_id,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  u.pos::int AS pos,
  count(*)::int AS n,
  sum(u.v)::float8 AS s,
  sum(u.v * u.v)::float8 AS ss
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
CROSS JOIN LATERAL unnest(r.loyalty_scores) WITH ORDINALITY AS u(v, pos)
WHERE r.loyalty_scores IS NOT NULL AND u.v IS NOT NULL
GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_alpha_stats_key ON survey_alpha_stats (survey_id, segment, pos);
