package dev.vidprocme.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.spec.Json;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON events of the jobs topic. An event that does not parse never fails the job: when
 * its job id can still be read, the job is failed with a reason (side output {@link #REJECTED});
 * otherwise it is logged and dropped, since there is no job to tell. Job ids must be UUIDs (the API
 * only makes those): an id is part of every blob key, so anything else is refused here, at the
 * edge, rather than failing a write further down on every replay.
 */
public final class ParseJobRequest extends ProcessFunction<String, JobRequest> {
    public static final OutputTag<JobPlan> REJECTED = new OutputTag<>("rejected-requests") {};
    private static final Logger LOG = LoggerFactory.getLogger(ParseJobRequest.class);
    private static final Pattern JOB_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Override
    public void processElement(String json, Context ctx, Collector<JobRequest> out) {
        try {
            JobRequest request = Json.mapper().readValue(json, JobRequest.class);
            if (request.jobId() == null || request.inputUri() == null || request.spec() == null) {
                throw new IllegalArgumentException("jobId, inputUri and spec are required");
            }
            if (!isJobId(request.jobId())) {
                throw new IllegalArgumentException("jobId is not a lower-case UUID");
            }
            out.collect(request);
        } catch (Exception e) {
            String jobId = jobIdOf(json);
            LOG.warn("unreadable job event (job {}): {}", jobId, e.getMessage());
            if (isJobId(jobId)) {
                ctx.output(
                        REJECTED,
                        JobPlan.failed(
                                jobId,
                                FailureCode.INTERNAL,
                                "the job event could not be read: " + e.getMessage(),
                                0));
            }
        }
    }

    static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    private static String jobIdOf(String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            JsonNode id = node == null ? null : node.get("jobId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
