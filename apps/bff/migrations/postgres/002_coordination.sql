-- Replicas sharing the polling (apps/bff/src/coordination): events are numbered once for every replica,
-- an event too big for a NOTIFY payload waits in event_payloads, a duty's last known state is kept for
-- whoever leads it next, and read-only answers of the service are shared for a few seconds.

CREATE SEQUENCE mfc_event_ids;

CREATE TABLE event_payloads (
  id bigint PRIMARY KEY,
  payload text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE duty_state (
  duty text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE read_cache (
  key text PRIMARY KEY,
  value text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX read_cache_expires ON read_cache (expires_at);
