-- Survey analytics (issue 12).
-- 1. A response has a psychological loyalty score only when it answered items of at least two of the
--    five scored constructs: a one-question NPS survey gives an NPS, not a loyalty score.
-- 2. Statistics keep anonymous answers ('') apart from identified customers without purchases ('none').
-- 3. Cronbach's alpha per construct (survey_alpha_stats, from the responses' loyalty_scores, recomputed
--    here in the new layout) instead of over every loyalty item at once, and per-question counts of
--    every answer (survey_answer_stats). The backfill's rescaling mirrors itemScore in
--    app/domain/survey/scoring.ts (tests/db/migration-upgrade.test.ts checks it).
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
-- item of that construct. Each response keeps, in loyalty_scores, one slot per item of each such
-- construct (0-100, reverse items flipped) and one for their total, or nulls where the construct is
-- incomplete (alphaLayout and scoreResponse in app/domain/survey/scoring.ts). Until now it held every
-- loyalty item of all constructs at once: recompute it for the stored responses from their answers.
UPDATE survey_responses r SET loyalty_scores = x.slots
FROM (
  WITH items AS (
    SELECT q.survey_id, q.key, q.position, q.type,
      coalesce((q.definition->>'points')::int, 5) AS points,
      q.type = 'likert' AND coalesce((q.definition->>'reverse')::boolean, false) AS reverse,
      array_position(ARRAY['attachment', 'preference', 'continuity', 'trust', 'recommend', 'share_of_wallet', 'ambassador_interest', 'cocreation_interest'], q.construct) AS c,
      count(*) OVER (PARTITION BY q.survey_id, q.construct) AS k
    FROM survey_questions q
    WHERE q.type IN ('nps', 'likert', 'rating') AND q.construct IS NOT NULL
  ),
  scored AS (
    SELECT r.id, i.c, i.position, i.k,
      CASE WHEN jsonb_typeof(r.answers->i.key) <> 'number' THEN NULL
           WHEN i.type = 'nps' THEN (r.answers->>i.key)::float8 * 10
           WHEN i.reverse THEN 100 - ((r.answers->>i.key)::float8 - 1) / (i.points - 1) * 100
           ELSE ((r.answers->>i.key)::float8 - 1) / (i.points - 1) * 100 END AS v
    FROM survey_responses r JOIN items i ON i.survey_id = r.survey_id AND i.k >= 2
  ),
  per_construct AS (
    SELECT id, c, count(v) = max(k) AS complete,
      CASE WHEN count(v) = max(k) THEN array_agg(v ORDER BY position) || sum(v)
           ELSE array_fill(NULL::float8, ARRAY[max(k)::int + 1]) END AS slots
    FROM scored GROUP BY id, c
  )
  SELECT p.id, CASE WHEN bool_or(p.complete) THEN array_agg(e.v ORDER BY p.c, e.o) END AS slots
  FROM per_construct p CROSS JOIN LATERAL unnest(p.slots) WITH ORDINALITY AS e(v, o)
  GROUP BY p.id
) x
WHERE x.id = r.id;
--> statement-breakpoint
UPDATE survey_responses r SET loyalty_scores = NULL
WHERE loyalty_scores IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM survey_questions q WHERE q.survey_id = r.survey_id AND q.type IN ('nps', 'likert', 'rating') AND q.construct IS NOT NULL
    GROUP BY q.construct HAVING count(*) >= 2
  );
--> statement-breakpoint
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
--> statement-breakpoint
-- Every question's answers counted per value, per segment and NPS category (so a choice question can be
-- crossed with either). Scale and single-choice answers count under their value; a multiple-choice
-- answer under each chosen option and once under '' (its respondents, of whom the shares are); a text
-- answer under '' alone. One pass over each response's answers (jsonb_each), the chosen options in a
-- second branch; refreshed with sorting off so the few hundred groups are hashed, not 12 M rows sorted
-- (refreshSurveyStats).
CREATE MATERIALIZED VIEW survey_answer_stats AS
SELECT survey_id, segment, nps_category, key, value, count(*)::int AS n
FROM (
  SELECT r.survey_id,
    CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
    coalesce(r.nps_category, '') AS nps_category,
    a.key,
    CASE WHEN q.type IN ('multiple', 'short_text', 'long_text') THEN '' ELSE a.value #>> '{}' END AS value
  FROM survey_responses r
  CROSS JOIN LATERAL jsonb_each(r.answers) a
  JOIN survey_questions q ON q.survey_id = r.survey_id AND q.key = a.key
  LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
  UNION ALL
  SELECT r.survey_id,
    CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END,
    coalesce(r.nps_category, ''),
    q.key,
    jsonb_array_elements_text(r.answers->q.key)
  FROM survey_responses r
  JOIN survey_questions q ON q.survey_id = r.survey_id AND q.type = 'multiple'
  LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
  WHERE jsonb_typeof(r.answers->q.key) = 'array'
) u
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
