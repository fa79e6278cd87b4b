-- The shared store of the console's BFF replicas (apps/bff/src/store/postgres-store.ts).
-- Times are timestamptz written by the server's clock (now()), never a replica's.

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at bigint NOT NULL,
  user_name text NOT NULL,
  role text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  params jsonb NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  operation_id text,
  error text
);
CREATE INDEX audit_user ON audit (user_name, id);
CREATE INDEX audit_target ON audit (target, id);
CREATE INDEX audit_action ON audit (action, id);

CREATE TABLE login_failures (
  username text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);

CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);

CREATE TABLE preferences (
  user_name text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
