-- Survey analytics (issue 12).
-- 1. A response has a psychological loyalty score only when it answered items of at least two of the
--    five scored constructs: a one-question NPS survey gives an NPS, not a loyalty score.
-- 2. Statistics keep anonymous answers ('') apart from identified customers without purchases ('none').
-- 3. Cronbach's alpha per construct (survey_alpha_stats) instead of over every loyalty item at once,
--    and per-question counts of every scale and choice answer (survey_answer_stats), both from the
--    answers and the questions themselves. The rescaling mirrors itemScore in
--    app/domain/survey/scoring.ts (tests/db/survey-analytics.test.ts checks they agree).
UPDATE survey_responses SET psych_score = NULL
WHERE psych_score IS NOT NULL
  AND (SELECT count(*) FROM jsonb_object_keys(construct_scores) k
       WHERE k IN ('attachment', 'preference', 'continuity', 'trust', 'recommend')) < 2;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_month_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_item_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_stats;
--> statement-breakpoint
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
--> statement-breakpoint
-- Cronbach's alpha per construct with two or more scale items, over the responses that answered every
-- item of that construct: per item (pos 1..k) and for the response totals (pos 0), the count, sum and
-- sum of squares of the 0-100 item scores (reverse Likert items flipped).
CREATE MATERIALIZED VIEW survey_alpha_stats AS
WITH items AS (
  SELECT q.survey_id, q.construct, q.key,
    CASE WHEN q.type = 'nps' THEN 0 ELSE 1 END AS lo,
    CASE WHEN q.type = 'nps' THEN 10 ELSE coalesce((q.definition->>'points')::int, 5) END AS hi,
    q.type = 'likert' AND coalesce((q.definition->>'reverse')::boolean, false) AS reverse,
    row_number() OVER (PARTITION BY q.survey_id, q.construct ORDER BY q.position)::int AS pos,
    count(*) OVER (PARTITION BY q.survey_id, q.construct)::int AS k
  FROM survey_questions q
  WHERE q.type IN ('nps', 'likert', 'rating') AND q.construct IS NOT NULL
),
scored AS (
  SELECT r.id, r.survey_id,
    CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
    i.construct, i.pos, i.k,
    CASE WHEN i.reverse THEN 100 - s.v ELSE s.v END AS v
  FROM survey_responses r
  JOIN items i ON i.survey_id = r.survey_id AND i.k >= 2
  LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
  CROSS JOIN LATERAL (SELECT ((r.answers->>i.key)::float8 - i.lo) / (i.hi - i.lo) * 100 AS v) s
  WHERE jsonb_typeof(r.answers->i.key) = 'number'
),
complete AS (
  SELECT id, survey_id, segment, construct, sum(v) AS total
  FROM scored GROUP BY id, survey_id, segment, construct, k
  HAVING count(*) = k
)
SELECT survey_id, segment, construct, pos, count(*)::int AS n, sum(v)::float8 AS s, sum(v * v)::float8 AS ss
FROM (
  SELECT c.survey_id, c.segment, c.construct, x.pos, x.v
  FROM complete c JOIN scored x ON x.id = c.id AND x.construct = c.construct
  UNION ALL
  SELECT survey_id, segment, construct, 0, total FROM complete
) u
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_alpha_stats_key ON survey_alpha_stats (survey_id, segment, construct, pos);
--> statement-breakpoint
-- Every question's answers counted per value, per segment and NPS category (so a choice question can be
-- crossed with either). value '' counts the responses that answered the question at all (a
-- multiple-choice share is of those respondents); text questions have only that count.
CREATE MATERIALIZED VIEW survey_answer_stats AS
SELECT r.survey_id,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  coalesce(r.nps_category, '') AS nps_category,
  q.key,
  v.value,
  count(*)::int AS n
FROM survey_responses r
JOIN survey_questions q ON q.survey_id = r.survey_id
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
CROSS JOIN LATERAL (
  SELECT jsonb_array_elements_text(r.answers->q.key) AS value WHERE q.type = 'multiple' AND jsonb_typeof(r.answers->q.key) = 'array'
  UNION ALL
  SELECT r.answers->>q.key WHERE q.type IN ('nps', 'likert', 'rating', 'single') AND jsonb_typeof(r.answers->q.key) IN ('number', 'string')
  UNION ALL
  SELECT '' WHERE r.answers ? q.key
) v
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_answer_stats_key ON survey_answer_stats (survey_id, segment, nps_category, key, value);
--> statement-breakpoint
-- NPS by month across surveys (in the brand's time zone), per segment.
CREATE MATERIALIZED VIEW survey_month_stats AS
SELECT to_char(date_trunc('month', r.submitted_at AT TIME ZONE coalesce(b.time_zone, 'Asia/Tokyo')), 'YYYY-MM') AS month,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
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
UPDATE survey_stats_state SET refreshed_at = NULL;
--> statement-breakpoint
-- The customer's latest loyalty score and latest NPS each come from their own latest response.
CREATE INDEX "survey_responses_customer_psych" ON "survey_responses" USING btree ("customer_id","submitted_at","id") WHERE "survey_responses"."customer_id" is not null and "survey_responses"."psych_score" is not null;
--> statement-breakpoint
CREATE INDEX "survey_responses_customer_nps" ON "survey_responses" USING btree ("customer_id","submitted_at","id") WHERE "survey_responses"."customer_id" is not null and "survey_responses"."nps_score" is not null;
