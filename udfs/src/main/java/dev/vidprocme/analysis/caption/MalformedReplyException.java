package dev.vidprocme.analysis.caption;

/** A model's reply is not the JSON the prompt asked for; the message says what is wrong. */
public class MalformedReplyException extends Exception {
    public MalformedReplyException(String message) {
        super(message);
    }
}
