CREATE TABLE `video_clip_parts` (
	`clip_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size_bytes` integer NOT NULL,
	PRIMARY KEY(`clip_id`, `part_number`),
	FOREIGN KEY (`clip_id`) REFERENCES `video_clips`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `video_clips` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'uploading' NOT NULL,
	`size_bytes` integer NOT NULL,
	`part_size` integer NOT NULL,
	`object_key` text NOT NULL,
	`upload_id` text,
	`duration_ms` integer,
	`width` integer,
	`height` integer,
	`fps` real,
	`codec` text,
	`format_key` text,
	`format` text,
	`keyframes_ms` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `video_clips_project_idx` ON `video_clips` (`user_id`,`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `video_clips_status_idx` ON `video_clips` (`status`,`updated_at`);