-- One row per job event POSTed (or being POSTed) to a job's callbackUrl. event_id is jobId:seq, the
-- same for an event however often the pipeline replays it, so a delivered event is never sent again.
-- A sender claims a row for claimed_until before it POSTs; another sender (a replay after a crash)
-- waits for the claim to lapse rather than sending at the same time.
CREATE TABLE webhook_deliveries (
    event_id      text        PRIMARY KEY,
    job_id        text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    url           text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('sending', 'delivered', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    claimed_until timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz
);
CREATE INDEX webhook_deliveries_job_idx ON webhook_deliveries (job_id);
