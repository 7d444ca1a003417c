-- What a job produced besides frames: renditions, HLS playlists and segments, poster, sprite sheet
-- and its WebVTT index. name is the object's name relative to the job (480p.mp4, hls/master.m3u8);
-- (job_id, name) is the deterministic key a replayed transcode writes again. The API serves or signs
-- only names listed here, so a URL can never reach an object that is not a job's output.
CREATE TABLE outputs (
    job_id       text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('rendition', 'playlist', 'segment', 'poster', 'sprite', 'vtt')),
    content_type text        NOT NULL,
    bytes        bigint      NOT NULL CHECK (bytes >= 0),
    blob_key     text        NOT NULL,
    -- The rendition an object belongs to (its label, e.g. 480p), null for job-wide objects.
    rendition    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, name)
);
