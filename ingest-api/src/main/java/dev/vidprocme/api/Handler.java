package dev.vidprocme.api;

/** Answers one route; throws {@link ApiException} for errors the client should see. */
@FunctionalInterface
public interface Handler {
    Reply handle(Request request) throws Exception;
}
