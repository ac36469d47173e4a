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
