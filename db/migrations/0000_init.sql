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
CREATE TABLE "survey_responses" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"score" smallint NOT NULL,
	"comment" text,
	"order_id" text,
	"channel" text,
	"responded_at" timestamp with time zone NOT NULL,
	"request_hash" text NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "survey_responses_score_range" CHECK (("survey_responses"."kind" = 'nps' and "survey_responses"."score" between 0 and 10) or ("survey_responses"."kind" = 'csat' and "survey_responses"."score" between 1 and 5))
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
	"token_key_version" integer DEFAULT 1 NOT NULL,
	"token_key_rotated_at" timestamp with time zone,
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
CREATE TABLE "referral_clicks" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_clicks_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"merchant_id" text NOT NULL,
	"code" text NOT NULL,
	"customer_id" text NOT NULL,
	"vanity" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_merchant_id_code_pk" PRIMARY KEY("merchant_id","code")
);
--> statement-breakpoint
CREATE TABLE "referral_programs" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"referrer_reward" jsonb,
	"referee_reward" jsonb,
	"min_order_total" integer DEFAULT 0 NOT NULL,
	"hold_days" integer DEFAULT 14 NOT NULL,
	"attribution_window_days" integer DEFAULT 30 NOT NULL,
	"max_rewarded_per_referrer" jsonb,
	"link_template" text DEFAULT 'https://example.com/?ref={code}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"referrer_id" text,
	"referee_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"referee_email_normalized" text,
	"ip_hash" text,
	"device_hash" text,
	"payment_fingerprint" text,
	"order_id" text,
	"attributed_order_id" text,
	"attributed_at" timestamp with time zone NOT NULL,
	"qualified_at" timestamp with time zone,
	"hold_until" timestamp with time zone,
	"rewarded_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "coupon_codes" (
	"merchant_id" text NOT NULL,
	"code" text NOT NULL,
	"reward_id" text NOT NULL,
	"redemption_id" text,
	"taken_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_codes_merchant_id_code_pk" PRIMARY KEY("merchant_id","code")
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"reward_id" text NOT NULL,
	"status" text NOT NULL,
	"points_spent" integer NOT NULL,
	"terms" jsonb NOT NULL,
	"coupon_code" text,
	"order_id" text,
	"expires_at" timestamp with time zone,
	"stock_taken" boolean DEFAULT false NOT NULL,
	"debit_entry_id" text,
	"source_type" text,
	"source_id" text,
	"issued_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redemptions_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "redemptions_points_non_negative" CHECK ("redemptions"."points_spent" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"value" bigint,
	"currency" text,
	"product_id" text,
	"cost_points" integer NOT NULL,
	"min_tier" text,
	"stock" integer,
	"per_customer_limit" integer,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "rewards_cost_positive" CHECK ("rewards"."cost_points" > 0),
	CONSTRAINT "rewards_stock_non_negative" CHECK ("rewards"."stock" is null or "rewards"."stock" >= 0),
	CONSTRAINT "rewards_limit_positive" CHECK ("rewards"."per_customer_limit" is null or "rewards"."per_customer_limit" > 0)
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
CREATE TABLE "webhook_deliveries" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "webhook_deliveries_schedule" CHECK (("webhook_deliveries"."status" = 'pending') = ("webhook_deliveries"."next_attempt_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"receiving_since" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhook_outbox_cursors" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"fanned_out_until" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "customers_merchant_email_idx" ON "customers" USING btree ("merchant_id","email_normalized");--> statement-breakpoint
CREATE INDEX "customers_merchant_tier_idx" ON "customers" USING btree ("merchant_id","tier_id","id");--> statement-breakpoint
CREATE INDEX "survey_responses_kind_time_idx" ON "survey_responses" USING btree ("merchant_id","kind","responded_at");--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("merchant_id","customer_id","kind","responded_at");--> statement-breakpoint
CREATE INDEX "activities_customer_idx" ON "activities" USING btree ("merchant_id","customer_id","type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_dedupe_key" ON "ledger_entries" USING btree ("merchant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "ledger_entries_customer_seq_idx" ON "ledger_entries" USING btree ("merchant_id","customer_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_entries_source_idx" ON "ledger_entries" USING btree ("merchant_id","source_type","source_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_rule_customer_idx" ON "ledger_entries" USING btree ("merchant_id","rule_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_merchant_created_idx" ON "ledger_entries" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_merchant_seq_idx" ON "ledger_entries" USING btree ("merchant_id","seq");--> statement-breakpoint
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
CREATE INDEX "referral_clicks_code_idx" ON "referral_clicks" USING btree ("merchant_id","code","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_customer_key" ON "referral_codes" USING btree ("merchant_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_live_referee_key" ON "referrals" USING btree ("merchant_id","referee_id") WHERE "referrals"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("merchant_id","referrer_id","attributed_at");--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("merchant_id","status","hold_until");--> statement-breakpoint
CREATE INDEX "referrals_code_idx" ON "referrals" USING btree ("merchant_id","code");--> statement-breakpoint
CREATE INDEX "referrals_order_idx" ON "referrals" USING btree ("merchant_id","order_id");--> statement-breakpoint
CREATE INDEX "referrals_attributed_order_idx" ON "referrals" USING btree ("merchant_id","attributed_order_id");--> statement-breakpoint
CREATE INDEX "coupon_codes_free_idx" ON "coupon_codes" USING btree ("merchant_id","reward_id","code") WHERE "coupon_codes"."redemption_id" is null;--> statement-breakpoint
CREATE INDEX "coupon_codes_reward_idx" ON "coupon_codes" USING btree ("merchant_id","reward_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_coupon_code_key" ON "redemptions" USING btree ("merchant_id","coupon_code") WHERE "redemptions"."coupon_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_source_key" ON "redemptions" USING btree ("merchant_id","source_type","source_id","customer_id") WHERE "redemptions"."source_type" is not null;--> statement-breakpoint
CREATE INDEX "redemptions_customer_idx" ON "redemptions" USING btree ("merchant_id","customer_id","id");--> statement-breakpoint
CREATE INDEX "redemptions_customer_reward_idx" ON "redemptions" USING btree ("merchant_id","customer_id","reward_id");--> statement-breakpoint
CREATE INDEX "redemptions_reward_status_idx" ON "redemptions" USING btree ("merchant_id","reward_id","status");--> statement-breakpoint
CREATE INDEX "redemptions_reserved_idx" ON "redemptions" USING btree ("merchant_id","expires_at") WHERE "redemptions"."status" = 'reserved';--> statement-breakpoint
CREATE INDEX "earning_rules_event_idx" ON "earning_rules" USING btree ("merchant_id","event");--> statement-breakpoint
CREATE INDEX "tiers_rank_idx" ON "tiers" USING btree ("merchant_id","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_idx" ON "webhook_deliveries" USING btree ("merchant_id","endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("merchant_id","next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';