ALTER TABLE "customers" ADD COLUMN "first_entry_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "last_entry_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "first_earned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_earned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_reversed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_redeemed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_expired" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "entries_adjusted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "first_order_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "second_order_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "previous_order_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "last_order_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "orders_total" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "orders_refunded" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "ledger_entries_merchant_occurred_idx" ON "ledger_entries" USING btree ("merchant_id","occurred_at","customer_id","kind","points","forgiven");--> statement-breakpoint
CREATE INDEX "orders_merchant_paid_idx" ON "orders" USING btree ("merchant_id","paid_at","customer_id","total");--> statement-breakpoint
-- Backfill of the insight facts from the rows they summarise (the app keeps them from now on).
UPDATE "customers" c SET
  "first_entry_at" = f.first_at, "last_entry_at" = f.last_at, "first_earned_at" = f.first_earned_at, "entries_count" = f.entries,
  "entries_earned" = f.earned, "entries_reversed" = f.reversed, "entries_redeemed" = f.redeemed,
  "entries_expired" = f.expired, "entries_adjusted" = f.adjusted
FROM (
  SELECT merchant_id, customer_id, count(*) AS entries, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
    min(occurred_at) FILTER (WHERE kind IN ('earn', 'referral', 'import')) AS first_earned_at,
    coalesce(sum(points) FILTER (WHERE kind IN ('earn', 'referral', 'import')), 0) AS earned,
    coalesce(sum(forgiven - points) FILTER (WHERE kind = 'reverse'), 0) AS reversed,
    coalesce(-sum(points) FILTER (WHERE kind = 'redeem'), 0) AS redeemed,
    coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0) AS expired,
    coalesce(sum(points) FILTER (WHERE kind = 'adjust'), 0) AS adjusted
  FROM "ledger_entries" GROUP BY merchant_id, customer_id
) f
WHERE c.merchant_id = f.merchant_id AND c.id = f.customer_id;--> statement-breakpoint
UPDATE "customers" c SET
  "first_order_at" = f.first_at, "second_order_at" = f.second_at, "previous_order_at" = f.previous_at,
  "last_order_at" = f.last_at, "orders_total" = f.total, "orders_refunded" = f.refunded, "orders_count" = f.orders
FROM (
  SELECT merchant_id, customer_id, count(*) AS orders, min(paid_at) AS first_at,
    min(paid_at) FILTER (WHERE nth = 2) AS second_at, max(paid_at) FILTER (WHERE nth_last = 2) AS previous_at,
    max(paid_at) AS last_at, sum(total) AS total, sum(refunded_amount) AS refunded
  FROM (
    SELECT merchant_id, customer_id, paid_at, total, refunded_amount,
      row_number() OVER (PARTITION BY merchant_id, customer_id ORDER BY paid_at) AS nth,
      row_number() OVER (PARTITION BY merchant_id, customer_id ORDER BY paid_at DESC) AS nth_last
    FROM "orders"
  ) o GROUP BY merchant_id, customer_id
) f
WHERE c.merchant_id = f.merchant_id AND c.id = f.customer_id;--> statement-breakpoint
UPDATE "customers" c SET "latest_nps" = l.score, "latest_nps_at" = l.responded_at
FROM (
  SELECT DISTINCT ON (merchant_id, customer_id) merchant_id, customer_id, score, responded_at
  FROM "survey_responses" WHERE kind = 'nps'
  ORDER BY merchant_id, customer_id, responded_at DESC, id DESC
) l
WHERE c.merchant_id = l.merchant_id AND c.id = l.customer_id;
