-- NPS by month across surveys (in the brand's time zone), per segment, and the psychological loyalty
-- score's sum and count over the same responses (the dashboard's trend: mean score = psych_sum / psych_n).
-- Only responses with an NPS answer are counted, so `responses` stays the NPS base of getNpsTrend; a
-- response with a score but no NPS answer (a survey without the recommend item) is not in the mean.
CREATE MATERIALIZED VIEW survey_month_stats AS
SELECT to_char(date_trunc('month', r.submitted_at AT TIME ZONE coalesce(b.time_zone, 'Asia/Tokyo')), 'YYYY-MM') AS month,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  count(*)::int AS responses,
  count(*) FILTER (WHERE r.nps_category = 'promoter')::int AS promoters,
  count(*) FILTER (WHERE r.nps_category = 'detractor')::int AS detractors,
  sum(r.psych_score)::float8 AS psych_sum,
  count(r.psych_score)::int AS psych_n
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
LEFT JOIN brand_settings b ON b.id = 1
WHERE r.nps_category IS NOT NULL
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_month_stats_key ON survey_month_stats (month, segment);
