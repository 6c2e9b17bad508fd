ALTER TABLE "hourly_stats" ADD COLUMN "cache_hits" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "cache_hit" boolean DEFAULT false NOT NULL;