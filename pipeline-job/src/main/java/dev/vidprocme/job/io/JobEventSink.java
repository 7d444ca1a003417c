package dev.vidprocme.job.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.records.JobEvents;
import dev.vidprocme.records.JobUpdate;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The {@code vidproc.job-events} topic: every state change the tracker emits, keyed by job id (so a
 * job's events stay in order on one partition) and written exactly once (see {@link
 * TransactionalTopic}). {@code eventId} is {@code jobId:seq}: the same event always has the same
 * id, which is what downstream deliveries (webhooks) deduplicate on.
 */
public final class JobEventSink {
    private static final TransactionalTopic.Codec<JobUpdate> CODEC = new Codec();

    private JobEventSink() {}

    public static KafkaSink<JobUpdate> of(PipelineConfig config) {
        return TransactionalTopic.sink(config, config.eventsTopic(), "events", CODEC);
    }

    public static byte[] toJson(JobUpdate u) {
        return TransactionalTopic.bytes(CODEC, u);
    }

    private static final class Codec implements TransactionalTopic.Codec<JobUpdate> {
        @Override
        public String key(JobUpdate u) {
            return u.jobId();
        }

        @Override
        public ObjectNode json(JobUpdate u) {
            return JobEvents.json(u);
        }
    }
}
