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
CREATE INDEX "customers_merchant_email_idx" ON "customers" USING btree ("merchant_id","email_normalized");--> statement-breakpoint
CREATE INDEX "customers_merchant_tier_idx" ON "customers" USING btree ("merchant_id","tier_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_merchant_created_idx" ON "api_keys" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "events_merchant_type_created_idx" ON "events" USING btree ("merchant_id","type","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_merchant_created_idx" ON "idempotency_keys" USING btree ("merchant_id","created_at");