-- migrate:up
CREATE TYPE campaign_channel AS ENUM ('email', 'linkedin');
CREATE TYPE campaign_status AS ENUM ('draft', 'active', 'paused', 'completed');

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  name          text,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of the key is stored; the prefix lets a person recognise a key.
CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

CREATE TABLE lists (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       text NOT NULL,
  -- Kept in step with list_rows by the statement that appends rows.
  row_count  integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lists_user_id_idx ON lists (user_id);

-- id is the stable order for keyset paging: (list_id, id) serves "WHERE list_id = $1 AND id > $2 ORDER BY id".
CREATE TABLE list_rows (
  id           bigserial PRIMARY KEY,
  list_id      uuid NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  linkedin_url text,
  profile_data jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX list_rows_list_id_id_idx ON list_rows (list_id, id);

CREATE TABLE campaigns (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name           text NOT NULL,
  channel        campaign_channel NOT NULL,
  status         campaign_status NOT NULL DEFAULT 'draft',
  -- The campaign's stats: changed in the same statement as every prospect insert.
  prospect_count integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_user_id_idx ON campaigns (user_id);

-- dedupe_key is the channel's normalised identity: the email for email campaigns,
-- the canonical LinkedIn URL for LinkedIn campaigns. So the unique constraint is
-- (campaign_id, email) for email campaigns and (campaign_id, linkedin_url) for LinkedIn ones.
CREATE TABLE prospects (
  id            bigserial PRIMARY KEY,
  campaign_id   uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  dedupe_key    text NOT NULL,
  email         text,
  linkedin_url  text,
  first_name    text,
  last_name     text,
  name          text,
  company       text,
  position      text,
  headline      text,
  custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  source        text NOT NULL,
  source_ref    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT prospects_campaign_id_dedupe_key_key UNIQUE (campaign_id, dedupe_key)
);

-- migrate:down
DROP TABLE prospects;
DROP TABLE campaigns;
DROP TABLE list_rows;
DROP TABLE lists;
DROP TABLE api_keys;
DROP TABLE users;
DROP TYPE campaign_status;
DROP TYPE campaign_channel;
