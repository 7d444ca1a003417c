package dev.vidprocme.functions;

import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.records.Disposition;
import org.slf4j.Logger;

/**
 * What the async stages (decode, transcode) say about a settled unit, in one wording: an input that
 * can never work, a retry, a dead letter, a drop.
 */
final class UnitOutcomes {
    private UnitOutcomes() {}

    /** The disposition of a failed attempt: retry while the policy allows, else dead-letter. */
    static Disposition afterFailure(RetryPolicy policy, WorkUnits.Attempt attempt) {
        return policy.mayRetry(
                        attempt.attempts(), attempt.firstStartedAtMs(), System.currentTimeMillis())
                ? Disposition.RETRY
                : Disposition.DEAD_LETTER;
    }

    /** Logs a settled unit that did not end DONE; {@code unit} names it ("job J segment 3"). */
    static void log(
            Logger log,
            String unit,
            Disposition disposition,
            int attempts,
            String message,
            String errorClass) {
        switch (disposition) {
            case DONE -> {}
            case REJECTED -> log.info("{}: {} ({})", unit, message, errorClass);
            case RETRY ->
                    log.info(
                            "{}: attempt {} failed, will retry: {} ({})",
                            unit,
                            attempts,
                            message,
                            errorClass);
            case DEAD_LETTER ->
                    log.warn(
                            "{}: giving up after {} attempt(s): {} ({})",
                            unit,
                            attempts,
                            message,
                            errorClass);
            case DROPPED -> log.info("{}: job cancelled or ended; dropped", unit);
        }
    }
}
