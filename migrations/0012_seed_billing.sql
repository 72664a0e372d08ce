-- The catalog at launch: three credit packages (with bonus credits) and two 30-day plans, prices in IDR.
INSERT INTO credit_packages (id, name, credits, bonus_credits, price, currency, position) VALUES
  ('starter', 'Starter', 100, 0, 15000, 'IDR', 1),
  ('popular', 'Popular', 500, 50, 65000, 'IDR', 2),
  ('studio', 'Studio', 1500, 300, 180000, 'IDR', 3)
ON CONFLICT(id) DO NOTHING;
--> statement-breakpoint
INSERT INTO plans (id, name, tier, period_days, price, currency, daily_pose_quota, unlimited, position) VALUES
  ('pro-monthly', 'Pro', 'pro', 30, 99000, 'IDR', 25, 0, 1),
  ('enterprise-monthly', 'Enterprise', 'enterprise', 30, 499000, 'IDR', NULL, 1, 2)
ON CONFLICT(id) DO NOTHING;
