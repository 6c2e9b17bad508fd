CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`key_value` text NOT NULL,
	`key_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`cooling_until` integer,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`request_count` integer DEFAULT 0 NOT NULL,
	`last_used_at` integer,
	`notes` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_group_hash_uq` ON `api_keys` (`group_id`,`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_group_status_idx` ON `api_keys` (`group_id`,`status`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`display_name` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`group_type` text DEFAULT 'standard' NOT NULL,
	`channel_type` text NOT NULL,
	`upstreams` text NOT NULL,
	`test_model` text DEFAULT '' NOT NULL,
	`validation_endpoint` text DEFAULT '' NOT NULL,
	`param_overrides` text NOT NULL,
	`model_redirect_rules` text NOT NULL,
	`model_redirect_strict` integer DEFAULT false NOT NULL,
	`header_rules` text NOT NULL,
	`config` text NOT NULL,
	`proxy_keys` text DEFAULT '' NOT NULL,
	`sub_groups` text NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_name_unique` ON `groups` (`name`);--> statement-breakpoint
CREATE TABLE `hourly_stats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hour` integer NOT NULL,
	`group_id` integer NOT NULL,
	`success_count` integer DEFAULT 0 NOT NULL,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hourly_stats_hour_group_uq` ON `hourly_stats` (`hour`,`group_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `request_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`timestamp` integer NOT NULL,
	`group_id` integer,
	`group_name` text DEFAULT '' NOT NULL,
	`key_id` integer,
	`key_hash` text DEFAULT '' NOT NULL,
	`key_masked` text DEFAULT '' NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`method` text DEFAULT '' NOT NULL,
	`path` text DEFAULT '' NOT NULL,
	`status_code` integer NOT NULL,
	`is_success` integer NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`ttfb_ms` integer,
	`is_stream` integer DEFAULT false NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`upstream` text DEFAULT '' NOT NULL,
	`source_ip` text DEFAULT '' NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	`error_message` text DEFAULT '' NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`total_tokens` integer DEFAULT 0 NOT NULL,
	`request_body` text
);
--> statement-breakpoint
CREATE INDEX `request_logs_timestamp_idx` ON `request_logs` (`timestamp`);--> statement-breakpoint
CREATE INDEX `request_logs_group_name_idx` ON `request_logs` (`group_name`);--> statement-breakpoint
CREATE INDEX `request_logs_key_hash_idx` ON `request_logs` (`key_hash`);--> statement-breakpoint
CREATE INDEX `request_logs_status_code_idx` ON `request_logs` (`status_code`);--> statement-breakpoint
CREATE TABLE `system_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
