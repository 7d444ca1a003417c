package dev.vidprocme.analysis.caption;

/**
 * Captions cannot run as configured or asked (unknown provider, cost cap without a price): a
 * setting or spec must change, retrying will not help.
 */
public class CaptionConfigException extends RuntimeException {
    public CaptionConfigException(String message) {
        super(message);
    }
}
