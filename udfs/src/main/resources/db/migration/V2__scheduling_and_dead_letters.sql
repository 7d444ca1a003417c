-- Issue 3: partial and cancelled jobs, work units per priority, dead letters, idempotent submission.

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED'));
-- The dead letter a replayed job was created from.
ALTER TABLE jobs ADD COLUMN replay_of text;
DROP INDEX jobs_unfinished_idx;
CREATE INDEX jobs_unfinished_idx ON jobs (created_at) WHERE status IN ('QUEUED', 'RUNNING');

-- Every unit of work (planning a job, decoding a segment) and where it is: the mirror of the
-- pipeline's priority-ordered buffer that GET /v1/queue reads. Flink's checkpointed state stays the
-- source of truth; these rows are written as units enter, start and finish.
CREATE TABLE work_units (
    job_id     text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    stage      text        NOT NULL CHECK (stage IN ('plan', 'decode')),
    unit       integer     NOT NULL,
    state      text        NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'failed', 'dropped')),
    priority   smallint    NOT NULL CHECK (priority BETWEEN 0 AND 9),
    -- Attempts so far and when the first started: the retry budget, kept here so it survives
    -- restores (a unit that keeps killing its worker is dead-lettered instead of looping).
    attempts   integer     NOT NULL DEFAULT 0,
    first_started_at timestamptz,
    -- The GPU index of the slot the unit ran in (null without GPU mode) and the decoder used:
    -- 'cpu' or 'cuda'.
    gpu        integer,
    decoder    text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, stage, unit)
);
CREATE INDEX work_units_open_idx ON work_units (priority) WHERE state IN ('waiting', 'running');

-- Work that failed every attempt (or could never succeed), as also published to vidproc.dlq.
-- id is derived from (job, stage, unit), so a replayed dead-letter write lands on the same row.
CREATE TABLE dead_letters (
    id              text        PRIMARY KEY,
    job_id          text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    stage           text        NOT NULL,
    unit            integer     NOT NULL,
    attempts        integer     NOT NULL,
    error_class     text        NOT NULL,
    message         text        NOT NULL,
    at              timestamptz NOT NULL,
    request         jsonb       NOT NULL,
    replayed_job_id text,
    replayed_at     timestamptz
);
CREATE INDEX dead_letters_at_idx ON dead_letters (at DESC);

-- Idempotency-Key on POST /v1/jobs: a retried submission with the same key and the same request gets
-- the same job; the same key with a different request is refused.
CREATE TABLE idempotency_keys (
    key          text        PRIMARY KEY,
    request_hash text        NOT NULL,
    job_id       text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
