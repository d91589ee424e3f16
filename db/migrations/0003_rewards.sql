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
CREATE INDEX "coupon_codes_free_idx" ON "coupon_codes" USING btree ("merchant_id","reward_id","code") WHERE "coupon_codes"."redemption_id" is null;--> statement-breakpoint
CREATE INDEX "coupon_codes_reward_idx" ON "coupon_codes" USING btree ("merchant_id","reward_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_coupon_code_key" ON "redemptions" USING btree ("merchant_id","coupon_code") WHERE "redemptions"."coupon_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_source_key" ON "redemptions" USING btree ("merchant_id","source_type","source_id","customer_id") WHERE "redemptions"."source_type" is not null;--> statement-breakpoint
CREATE INDEX "redemptions_customer_idx" ON "redemptions" USING btree ("merchant_id","customer_id","id");--> statement-breakpoint
CREATE INDEX "redemptions_customer_reward_idx" ON "redemptions" USING btree ("merchant_id","customer_id","reward_id");--> statement-breakpoint
CREATE INDEX "redemptions_reserved_idx" ON "redemptions" USING btree ("merchant_id","expires_at") WHERE "redemptions"."status" = 'reserved';