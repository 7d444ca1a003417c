-- Issue 4: what the analysers found in each frame, searchable by words and by meaning.

-- One row per (frame, analyser, model): the deterministic key a replayed analysis writes again.
-- model is '' when the analyser has none (frame statistics), so it can be part of the key.
-- body is the searchable text the analyser produced (OCR lines, caption + tags + objects + visible
-- text); result keeps the analyser's full output for the dashboard.
--
-- The text search configuration is 'simple' (lower-casing, no stemming, no stop words), not
-- 'english': OCR reads shop signs, product codes, names, numbers and other languages, which English
-- stemming mangles ('Bus 42 Leeds' must match 'leeds' and '42', and the stop word 'The' in a title
-- must still count). Inflections and paraphrases are what semantic search is for.
CREATE TABLE frame_analyses (
    job_id     text        NOT NULL,
    frame_idx  bigint      NOT NULL,
    analyser   text        NOT NULL CHECK (analyser IN ('ocr', 'stats', 'caption')),
    model      text        NOT NULL DEFAULT '',
    result     jsonb       NOT NULL,
    body       text        NOT NULL DEFAULT '',
    tsv        tsvector    GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
    -- all-MiniLM-L6-v2 sentence embedding of body; null when body is empty. No pgvector here
    -- (docs/architecture.md, "Search"): unit_cosine below ranks these. Always L2-normalised.
    embedding  real[]      CHECK (embedding IS NULL OR cardinality(embedding) = 384),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame_idx, analyser, model),
    -- Search answers with the frame's timestamp and image, so an analysis needs its frame.
    FOREIGN KEY (job_id, frame_idx) REFERENCES frames (job_id, idx) ON DELETE CASCADE
);
CREATE INDEX frame_analyses_tsv_idx ON frame_analyses USING GIN (tsv);

-- Cosine similarity of two unit-length vectors, which is their dot product: the repositories
-- store and query with L2-normalised vectors only, which saves the two norms: the full cosine over
-- unnest(a, b) measured 1.3 times as slow. A PL/pgSQL loop rather than a SQL function, which
-- PostgreSQL cannot inline with an aggregate inside (docs/benchmarks.md, SearchBenchmark).
CREATE FUNCTION unit_cosine(a real[], b real[]) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    dot double precision := 0;
BEGIN
    IF cardinality(a) <> cardinality(b) THEN
        RAISE EXCEPTION 'vectors differ in length: % and %', cardinality(a), cardinality(b);
    END IF;
    FOR i IN 1 .. cardinality(a) LOOP
        dot := dot + a[i]::double precision * b[i];
    END LOOP;
    RETURN dot;
END
$$;
