package dev.vidprocme.io.db;

import dev.vidprocme.records.DeadLetter;
import java.time.Instant;

/**
 * A stored dead letter and whether it was resubmitted.
 *
 * @param replayedJobId the job the dead letter was replayed as, or null
 * @param replayedAt when it was replayed, or null
 */
public record DeadLetterRow(DeadLetter letter, String replayedJobId, Instant replayedAt) {}
