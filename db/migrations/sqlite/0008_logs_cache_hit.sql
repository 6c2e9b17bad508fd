ALTER TABLE `hourly_stats` ADD `cache_hits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `cache_hit` integer DEFAULT false NOT NULL;