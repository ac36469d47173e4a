-- Customer potential's BG/NBD input (issue 19): the distinct (x, t_x, T) of the customers with a purchase
-- day and how many share each (x = purchase days - 1, t_x = last - first purchase day, T = as-of day -
-- first purchase day). Grouped with the behaviour refresh (refreshMetrics, right after customer_metrics),
-- so the refit that follows reads half a million rows instead of grouping a million.
CREATE MATERIALIZED VIEW potential_frequency AS
SELECT purchase_days - 1 AS x, tenure_days AS tx, tenure_days + lapse_days AS t, count(*)::integer AS n
FROM customer_metrics
WHERE purchase_days > 0
GROUP BY 1, 2, 3
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "potential_frequency_key" ON "potential_frequency" ("x", "tx", "t");
