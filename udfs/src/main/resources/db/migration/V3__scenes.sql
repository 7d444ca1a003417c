-- The scenes of a job, as SceneAssembler found them from every segment's scene signals. The job
-- tracker replaces a job's rows in one transaction, so a replay writes the same rows again.
-- kind is the transition that starts the scene; the first scene says 'start'.
CREATE TABLE scenes (
    job_id   text             NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    idx      integer          NOT NULL CHECK (idx >= 0),
    start_ms bigint           NOT NULL,
    end_ms   bigint           NOT NULL CHECK (end_ms >= start_ms),
    kind     text             NOT NULL CHECK (kind IN ('start', 'cut', 'fade', 'dissolve')),
    score    double precision NOT NULL,
    PRIMARY KEY (job_id, idx)
);
