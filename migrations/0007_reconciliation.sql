CREATE TABLE `reconciliation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`ran_at` integer NOT NULL,
	`since` integer NOT NULL,
	`checked` integer NOT NULL,
	`drift_count` integer NOT NULL,
	`drift` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reconciliation_runs_ran_at_idx` ON `reconciliation_runs` (`ran_at`);--> statement-breakpoint
CREATE INDEX `balances_updated_idx` ON `balances` (`updated_at`);--> statement-breakpoint
CREATE INDEX `generations_finished_idx` ON `generations` (`finished_at`);