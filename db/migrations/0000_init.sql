CREATE TABLE "customers" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text,
	"email_normalized" text,
	"name" text,
	"birthday" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"marketing_consent" boolean DEFAULT false NOT NULL,
	"signed_up_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"available" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"lifetime_earned" integer DEFAULT 0 NOT NULL,
	"lifetime_redeemed" integer DEFAULT 0 NOT NULL,
	"lifetime_expired" integer DEFAULT 0 NOT NULL,
	"debt" integer DEFAULT 0 NOT NULL,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"tier_id" text,
	"tier_since" timestamp with time zone,
	"referral_code" text,
	"referred_by" text,
	"latest_nps" smallint,
	"latest_nps_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "customers_balance_non_negative" CHECK ("customers"."available" >= 0 and "customers"."pending" >= 0 and "customers"."reserved" >= 0 and "customers"."debt" >= 0),
	CONSTRAINT "customers_lifetime_non_negative" CHECK ("customers"."lifetime_earned" >= 0 and "customers"."lifetime_redeemed" >= 0 and "customers"."lifetime_expired" >= 0)
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"merchant_id" text NOT NULL,
	"type" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"payload" text NOT NULL,
	"request_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_merchant_id_type_id_pk" PRIMARY KEY("merchant_id","type","id")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"status" text NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"rule_id" text,
	"lot_id" text,
	"corrects_entry_id" text,
	"reason" text,
	"debt_settled" integer DEFAULT 0 NOT NULL,
	"forgiven" integer DEFAULT 0 NOT NULL,
	"balance_after" integer NOT NULL,
	"actor" text NOT NULL,
	"dedupe_key" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "ledger_entries_points_nonzero" CHECK ("ledger_entries"."points" <> 0 or "ledger_entries"."forgiven" > 0 or "ledger_entries"."debt_settled" > 0)
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"points" integer NOT NULL,
	"remaining" integer NOT NULL,
	"matured" boolean NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "lots_remaining_bounds" CHECK ("lots"."remaining" >= 0 and "lots"."remaining" <= "lots"."points" and "lots"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"total" bigint NOT NULL,
	"currency" text NOT NULL,
	"items" text DEFAULT '[]' NOT NULL,
	"channel" text,
	"referral_code" text,
	"paid_at" timestamp with time zone NOT NULL,
	"request_hash" text NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"points_reversed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "orders_refund_bounds" CHECK ("orders"."refunded_amount" >= 0 and "orders"."refunded_amount" <= "orders"."total")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"order_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"items" text,
	"request_hash" text NOT NULL,
	"points_reversed" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"name" text,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"changes" jsonb,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"timezone" text NOT NULL,
	"point_value_points" integer DEFAULT 100 NOT NULL,
	"point_value_amount" integer DEFAULT 100 NOT NULL,
	"pending_days" integer DEFAULT 0 NOT NULL,
	"expiry_mode" text DEFAULT 'none' NOT NULL,
	"expiry_days" integer,
	"refund_policy" text DEFAULT 'debt' NOT NULL,
	"storefront_redemption" boolean DEFAULT false NOT NULL,
	"allowed_origins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"config_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_point_value_positive" CHECK ("merchants"."point_value_points" > 0 and "merchants"."point_value_amount" >= 0),
	CONSTRAINT "merchants_pending_days_range" CHECK ("merchants"."pending_days" between 0 and 365),
	CONSTRAINT "merchants_expiry_days" CHECK (("merchants"."expiry_mode" = 'none') or ("merchants"."expiry_days" is not null and "merchants"."expiry_days" > 0))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"merchant_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"response_content_type" text,
	"locked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_merchant_id_key_pk" PRIMARY KEY("merchant_id","key")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_counters" (
	"merchant_id" text NOT NULL,
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_counters_merchant_id_bucket_window_start_pk" PRIMARY KEY("merchant_id","bucket","window_start")
);
--> statement-breakpoint
CREATE TABLE "earning_rules" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"event" text NOT NULL,
	"condition" jsonb,
	"reward" jsonb NOT NULL,
	"limits" jsonb,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"priority" integer DEFAULT 0 NOT NULL,
	"stackable" boolean DEFAULT true NOT NULL,
	"pending_days" integer,
	"apply_tier_multiplier" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"budget_used" integer DEFAULT 0 NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "earning_rules_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "earning_rules_budget_used" CHECK ("earning_rules"."budget_used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tiers" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"threshold" integer NOT NULL,
	"window" text NOT NULL,
	"earn_multiplier" real DEFAULT 1 NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tiers_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE INDEX "customers_merchant_email_idx" ON "customers" USING btree ("merchant_id","email_normalized");--> statement-breakpoint
CREATE INDEX "customers_merchant_tier_idx" ON "customers" USING btree ("merchant_id","tier_id","id");--> statement-breakpoint
CREATE INDEX "activities_customer_idx" ON "activities" USING btree ("merchant_id","customer_id","type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_dedupe_key" ON "ledger_entries" USING btree ("merchant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "ledger_entries_customer_seq_idx" ON "ledger_entries" USING btree ("merchant_id","customer_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_entries_source_idx" ON "ledger_entries" USING btree ("merchant_id","source_type","source_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_rule_customer_idx" ON "ledger_entries" USING btree ("merchant_id","rule_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_merchant_created_idx" ON "ledger_entries" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "lots_customer_spendable_idx" ON "lots" USING btree ("merchant_id","customer_id","expires_at","id") WHERE "lots"."remaining" > 0 and "lots"."matured";--> statement-breakpoint
CREATE INDEX "lots_maturing_idx" ON "lots" USING btree ("merchant_id","available_at") WHERE not "lots"."matured";--> statement-breakpoint
CREATE INDEX "lots_expiring_idx" ON "lots" USING btree ("merchant_id","expires_at") WHERE "lots"."remaining" > 0 and "lots"."matured";--> statement-breakpoint
CREATE INDEX "lots_entry_idx" ON "lots" USING btree ("merchant_id","entry_id");--> statement-breakpoint
CREATE INDEX "orders_customer_paid_idx" ON "orders" USING btree ("merchant_id","customer_id","paid_at");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("merchant_id","order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_merchant_created_idx" ON "api_keys" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "events_merchant_type_created_idx" ON "events" USING btree ("merchant_id","type","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_merchant_created_idx" ON "idempotency_keys" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "earning_rules_event_idx" ON "earning_rules" USING btree ("merchant_id","event");--> statement-breakpoint
CREATE INDEX "tiers_rank_idx" ON "tiers" USING btree ("merchant_id","rank");