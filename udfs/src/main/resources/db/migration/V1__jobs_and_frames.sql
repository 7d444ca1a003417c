-- Jobs as users see them. The ingest API inserts the row (QUEUED); the pipeline's tracker moves it on.
-- status_seq orders the tracker's updates so a replay never moves a job backwards.
CREATE TABLE jobs (
    id               text        PRIMARY KEY,
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    priority         smallint    NOT NULL CHECK (priority BETWEEN 0 AND 9),
    spec             jsonb       NOT NULL,
    input_uri        text        NOT NULL,
    source_name      text,
    source_bytes     bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    status_seq       integer     NOT NULL DEFAULT 0,
    progress         real        NOT NULL DEFAULT 0,
    container        text,
    codec            text,
    width            integer,
    height           integer,
    fps              double precision,
    duration_ms      bigint,
    rotation         integer,
    frame_count      bigint,
    frames_extracted bigint      NOT NULL DEFAULT 0,
    error_code       text,
    error_message    text,
    damage           text
);
CREATE INDEX jobs_unfinished_idx ON jobs (created_at) WHERE status IN ('QUEUED', 'RUNNING');

-- One row per extracted frame; (job_id, idx) is the deterministic key every replay writes again.
CREATE TABLE frames (
    job_id   text    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    idx      bigint  NOT NULL,
    pts_ms   bigint  NOT NULL,
    width    integer NOT NULL,
    height   integer NOT NULL,
    bytes    integer NOT NULL,
    blob_key text    NOT NULL,
    segment  integer NOT NULL,
    PRIMARY KEY (job_id, idx)
);

-- What decoding each segment found, including damage in streams that break mid-way.
CREATE TABLE segments (
    job_id         text    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    idx            integer NOT NULL,
    start_ms       bigint  NOT NULL,
    end_ms         bigint,
    frames         bigint  NOT NULL,
    decode_errors  bigint  NOT NULL,
    failure_code   text,
    damage         text,
    elapsed_ms     bigint  NOT NULL,
    PRIMARY KEY (job_id, idx)
);
