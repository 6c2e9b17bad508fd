CREATE TABLE `alert_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`event` text NOT NULL,
	`subject` text NOT NULL,
	`message` text NOT NULL,
	`format` text NOT NULL,
	`target` text NOT NULL,
	`ok` integer NOT NULL,
	`status_code` integer,
	`attempts` integer DEFAULT 1 NOT NULL,
	`error` text DEFAULT '' NOT NULL,
	`node` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_history_created_at_idx` ON `alert_history` (`created_at`);