-- Vision-LLM captions already paid for, by (image content hash, provider:model, prompt hash):
-- a replay after a crash or a re-run of the same video asks the model nothing it has answered.
CREATE TABLE caption_cache (
    image_sha256   text        NOT NULL,
    model          text        NOT NULL,
    prompt_sha256  text        NOT NULL,
    caption        text,
    tags           text[],
    objects        text[],
    visible_text   text,
    input_tokens   bigint      NOT NULL,
    output_tokens  bigint      NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (image_sha256, model, prompt_sha256)
);

-- What each frame of a job cost; the key makes a replay overwrite instead of adding, and the sum
-- per job is where a restarted job's caption budget starts.
CREATE TABLE caption_usage (
    job_id         text             NOT NULL,
    frame_idx      bigint           NOT NULL,
    model          text             NOT NULL,
    input_tokens   bigint           NOT NULL,
    output_tokens  bigint           NOT NULL,
    cost_usd       double precision NOT NULL,
    recorded_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame_idx, model)
);
