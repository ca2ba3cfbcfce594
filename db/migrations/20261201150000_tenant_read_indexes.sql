-- migrate:up
-- Every list-reading query starts at its owner's rows in the order it pages, so a read costs
-- the same however many rows other campaigns, lists and users hold (docs/performance.md,
-- "Reads at the size of a busy install"; test/integration/plan-shape.test.ts checks the plans).

-- A campaign's prospects in id order: page/limit and the keyset cursor. Without it the planner
-- walked prospects_pkey and filtered out every other campaign's rows.
CREATE INDEX prospects_campaign_id_id_idx ON prospects (campaign_id, id);

-- A user's campaigns and lists, newest first, straight from the index (no sort of the user's rows).
CREATE INDEX campaigns_user_id_created_at_idx ON campaigns (user_id, created_at);
DROP INDEX campaigns_user_id_idx;
CREATE INDEX lists_user_id_created_at_idx ON lists (user_id, created_at);
DROP INDEX lists_user_id_idx;

-- migrate:down
CREATE INDEX lists_user_id_idx ON lists (user_id);
DROP INDEX lists_user_id_created_at_idx;
CREATE INDEX campaigns_user_id_idx ON campaigns (user_id);
DROP INDEX campaigns_user_id_created_at_idx;
DROP INDEX prospects_campaign_id_id_idx;
