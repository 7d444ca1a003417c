package dev.vidprocme.job.workflow;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.notify.WebhookFunction;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.WebhookResult;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Webhooks, when {@code vidproc.webhook.enabled}: every job update the tracker emits goes to the
 * job's callback URL as the same JSON the job-events topic carries. Deliveries retry and
 * deduplicate on their own ({@link WebhookFunction}); their results end here, already logged.
 */
final class Notifications {
    private Notifications() {}

    static void define(DataStream<JobUpdate> updates, PipelineConfig config, Backends backends) {
        PipelineConfig.Webhooks webhooks = config.webhooks();
        if (!webhooks.enabled()) {
            return;
        }
        AsyncDataStream.unorderedWait(
                        updates,
                        new WebhookFunction(
                                config.db(),
                                webhooks.settings(),
                                backends.webhookSecret(),
                                webhooks.threads()),
                        webhooks.settings().operatorTimeout().toMillis(),
                        TimeUnit.MILLISECONDS,
                        webhooks.capacity())
                .name("webhooks")
                .uid("webhooks")
                .sinkTo(new DiscardingSink<WebhookResult>())
                .name("webhook-results")
                .uid("webhook-results");
    }
}
