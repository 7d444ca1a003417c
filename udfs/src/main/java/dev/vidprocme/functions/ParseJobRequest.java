package dev.vidprocme.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.spec.Json;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON events of the jobs topic. An event that does not parse never fails the job: when
 * its job id can still be read, the job is failed with a reason (side output {@link #REJECTED});
 * otherwise it is logged and dropped, since there is no job to tell.
 */
public final class ParseJobRequest extends ProcessFunction<String, JobRequest> {
    public static final OutputTag<JobPlan> REJECTED = new OutputTag<>("rejected-requests") {};
    private static final Logger LOG = LoggerFactory.getLogger(ParseJobRequest.class);

    @Override
    public void processElement(String json, Context ctx, Collector<JobRequest> out) {
        try {
            JobRequest request = Json.mapper().readValue(json, JobRequest.class);
            if (request.jobId() == null || request.inputUri() == null || request.spec() == null) {
                throw new IllegalArgumentException("jobId, inputUri and spec are required");
            }
            out.collect(request);
        } catch (Exception e) {
            String jobId = jobIdOf(json);
            LOG.warn("unreadable job event (job {}): {}", jobId, e.getMessage());
            if (jobId != null) {
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
