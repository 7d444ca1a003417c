-- Issues 4 and 5: analysis and transcoding are units of work too, and a job reports how far each
-- output has come and what its analysers found.
ALTER TABLE work_units DROP CONSTRAINT work_units_stage_check;
ALTER TABLE work_units ADD CONSTRAINT work_units_stage_check
    CHECK (stage IN ('plan', 'decode', 'analyse', 'caption', 'transcode'));

-- [{"name", "progress", "done"}] per rendition (and thumbnails), as in the job's events.
ALTER TABLE jobs ADD COLUMN outputs_progress jsonb NOT NULL DEFAULT '[]';
-- {"framesAnalysed", "framesWithText", "captioned", "captionsFailed", "tokens", "costUsd", "note"}
ALTER TABLE jobs ADD COLUMN analysis jsonb;
