-- Match results, per-game standings, stored replays and the ban list (docs/identity.md, "Results in D1").

-- One row per ended match, written by src/hooks.ts onMatchEnd; the room id is the match's id.
CREATE TABLE matches (
  room_id TEXT PRIMARY KEY,
  game TEXT NOT NULL,
  preset TEXT NOT NULL,
  reason TEXT NOT NULL,
  -- The game's result as JSON (at most maxStoredResultBytes), or NULL.
  result TEXT,
  started_at INTEGER,
  ended_at INTEGER NOT NULL,
  ticks INTEGER NOT NULL
);

-- Who played: one row per seated user, with the outcome read from the result. `counted` turns 1 once the
-- standings include the row, so a repeated write of the same match never counts twice.
CREATE TABLE match_players (
  room_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  team TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('win', 'loss', 'draw', 'none')),
  game TEXT NOT NULL,
  ended_at INTEGER NOT NULL,
  counted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
);
-- A player's history, newest first.
CREATE INDEX match_players_by_user ON match_players (user_id, ended_at DESC, room_id);

-- A player's record in one game: the leaderboard.
CREATE TABLE standings (
  game TEXT NOT NULL,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  wins INTEGER NOT NULL,
  losses INTEGER NOT NULL,
  draws INTEGER NOT NULL,
  played INTEGER NOT NULL,
  last_played INTEGER NOT NULL,
  PRIMARY KEY (game, user_id)
);
CREATE INDEX standings_rank ON standings (game, wins DESC, draws DESC, user_id);

-- An ended match's replay (REPLAYS = "d1"), kept after the room clears its storage.
CREATE TABLE replays (
  room_id TEXT PRIMARY KEY,
  replay TEXT NOT NULL
);

-- Users who may not play: `until` in ms since the epoch, NULL for good.
CREATE TABLE bans (
  user_id TEXT PRIMARY KEY,
  reason TEXT,
  until INTEGER
);
