// Headline figures for the dashboard, each one set-based statement.
import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import type { ColumnValue } from "../../db/columns";
import { purchases } from "../../db/schema";

export interface DashboardSummary {
  customers: number;
  purchases: number;
  revenue: string;
  lastPurchaseAt: Date | null;
}

export async function getDashboardSummary(db: Db = getDb()): Promise<DashboardSummary> {
  const [row] = await db
    .select({
      customers: sql<number>`(select count(*)::int from customers)`,
      // A refund (negative amount) lowers revenue but is not a purchase; ¥0 is one.
      purchases: sql<number>`(count(*) filter (where amount >= 0))::int`,
      revenue: sql<string>`coalesce(sum(amount), 0)::text`,
      last_purchase_at: sql<ColumnValue<typeof purchases.purchasedAt> | null>`max(purchased_at)`.mapWith(purchases.purchasedAt),
    })
    .from(purchases);
  return {
    customers: row.customers,
    purchases: row.purchases,
    revenue: row.revenue,
    lastPurchaseAt: row.last_purchase_at ? new Date(row.last_purchase_at) : null,
  };
}

/**
 * Revenue per calendar month (in the brand's time zone) for the last 12 months with data. The last month
 * is `partial` when the data stops before its last day (the current month, or a load that ends mid-month):
 * the chart marks it as month to date rather than letting it read as a collapse.
 */
export async function getMonthlyRevenue(timeZone: string, db: Db = getDb()) {
  return db
    .select({
      month: sql<string>`m.month`,
      revenue: sql<number>`m.revenue`,
      purchases: sql<number>`m.purchases`,
      partial: sql<boolean>`m.partial`,
      through: sql<string>`m.through`,
    })
    .from(
      sql`(with last as (select max(purchased_at) as at, (max(purchased_at) at time zone ${timeZone})::date as day from purchases),
           months as (
             select to_char(date_trunc('month', purchased_at at time zone ${timeZone}), 'YYYY-MM') as month,
                    sum(amount)::float8 as revenue,
                    (count(*) filter (where amount >= 0))::int as purchases
               from purchases
              where purchased_at >= (select at from last) - interval '12 months'
              group by 1)
           select m.*, m.month = to_char(l.day, 'YYYY-MM')
                         and l.day < (date_trunc('month', l.day) + interval '1 month - 1 day')::date as partial,
                  l.day::text as through
           from months m cross join last l) m`,
    )
    .orderBy(sql`m.month`);
}
