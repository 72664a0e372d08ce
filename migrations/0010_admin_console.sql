CREATE TABLE `app_switches` (
	`app_id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`beta` integer NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `generation_retries` (
	`id` text PRIMARY KEY NOT NULL,
	`original_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `generation_retries_original_idx` ON `generation_retries` (`original_id`);--> statement-breakpoint
CREATE TABLE `recovery_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text,
	`ran_at` integer NOT NULL,
	`requeued` integer NOT NULL,
	`failed` integer NOT NULL,
	`finalized` integer NOT NULL,
	`released` integer NOT NULL,
	`errors` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `recovery_runs_ran_at_idx` ON `recovery_runs` (`ran_at`);