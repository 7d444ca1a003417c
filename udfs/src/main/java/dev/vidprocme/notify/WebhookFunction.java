package dev.vidprocme.notify;

import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.WebhookResult;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Sends each job update to the job's {@code callbackUrl}, if it has one. Job updates do not carry
 * the spec, so the URL is read from {@code jobs.spec} (cached). Use with {@code
 * AsyncDataStream.unorderedWait(updates, fn, settings.operatorTimeout(), capacity)}; every call
 * completes with a {@link WebhookResult}, failures included, so a bad receiver never fails the job.
 */
public final class WebhookFunction extends RichAsyncFunction<JobUpdate, WebhookResult> {
    private static final long serialVersionUID = 1L;
    private static final int CACHE_SIZE = 10_000;

    /** Where the signing secret comes from when the operator opens; never part of the job graph. */
    @FunctionalInterface
    public interface SecretSource extends Serializable {
        byte[] secret();

        /** {@value WebhookSigner#SECRET_ENV} from the task manager's environment. */
        static SecretSource fromEnv() {
            return () -> {
                String v = System.getenv(WebhookSigner.SECRET_ENV);
                if (v == null || v.isBlank()) {
                    throw new IllegalStateException(
                            WebhookSigner.SECRET_ENV
                                    + " must be set on the task managers to sign webhooks");
                }
                return v.strip().getBytes(StandardCharsets.UTF_8);
            };
        }
    }

    private final DbSettings db;
    private final WebhookSettings settings;
    private final SecretSource secret;
    private final int threads;

    private transient Database database;
    private transient CallbackLookup lookup;
    private transient WebhookSender sender;

    /**
     * @param threads concurrent blocking deliveries per subtask (also the pool size)
     */
    public WebhookFunction(
            DbSettings db, WebhookSettings settings, SecretSource secret, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("webhook threads must be at least 1");
        }
        this.db = db;
        this.settings = settings;
        this.secret = secret;
        this.threads = threads;
    }

    @Override
    public void open(OpenContext context) {
        WebhookSigner signer = new WebhookSigner(secret.secret());
        database = Database.connect(db, threads, "webhooks");
        lookup = new CallbackLookup(database.dataSource(), CACHE_SIZE);
        sender =
                new WebhookSender(
                        settings, signer, new WebhookDeliveries(database.dataSource()), threads);
    }

    @Override
    public void asyncInvoke(JobUpdate update, ResultFuture<WebhookResult> resultFuture) {
        sender.supplyBlocking(() -> lookup.callbackUrl(update.jobId()))
                .thenCompose(url -> deliver(update, url))
                .whenComplete(
                        (result, error) ->
                                resultFuture.complete(
                                        List.of(
                                                error == null && result != null
                                                        ? result
                                                        : failed(
                                                                update,
                                                                error == null
                                                                        ? "the sender closed"
                                                                        : error.toString()))));
    }

    private CompletableFuture<WebhookResult> deliver(JobUpdate update, Optional<String> url) {
        if (url.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new WebhookResult(
                            WebhookEvent.eventId(update),
                            update.jobId(),
                            WebhookResult.Outcome.NO_CALLBACK,
                            0,
                            "the job has no callbackUrl"));
        }
        return sender.deliver(WebhookEvent.of(update), url.get());
    }

    @Override
    public void timeout(JobUpdate update, ResultFuture<WebhookResult> resultFuture) {
        resultFuture.complete(
                List.of(
                        failed(
                                update,
                                "no outcome within the operator timeout of "
                                        + settings.operatorTimeout().toSeconds()
                                        + " s")));
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static WebhookResult failed(JobUpdate update, String why) {
        return new WebhookResult(
                WebhookEvent.eventId(update),
                update.jobId(),
                WebhookResult.Outcome.GAVE_UP,
                0,
                why);
    }
}
