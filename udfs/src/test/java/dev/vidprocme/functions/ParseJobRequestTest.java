package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseJobRequestTest {
    private static final String ID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    private OneInputStreamOperatorTestHarness<String, JobRequest> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseJobRequest());
    }

    @Test
    void passesAWellFormedRequest() throws Exception {
        JobRequest request =
                new JobRequest(ID, "blob:uploads/" + ID + "/source", JobSpec.defaults(), 1);

        harness.processElement(Json.mapper().writeValueAsString(request), 0);

        assertThat(harness.extractOutputValues()).containsExactly(request);
        assertThat(harness.getSideOutput(ParseJobRequest.REJECTED)).isNull();
    }

    @Test
    void failsTheJobOfAnEventItCannotReadWhenTheIdIsAUuid() throws Exception {
        harness.processElement("{\"jobId\": \"" + ID + "\", \"inputUri\": 42}", 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(ParseJobRequest.REJECTED))
                .singleElement()
                .satisfies(
                        r -> {
                            JobPlan plan = r.getValue();
                            assertThat(plan.jobId()).isEqualTo(ID);
                            assertThat(plan.failureCode()).isEqualTo(FailureCode.INTERNAL);
                            assertThat(plan.failureMessage()).contains("could not be read");
                        });
    }

    @Test
    void dropsAnEventWhoseIdIsNotAUuidInsteadOfPassingItToKeyedWrites() throws Exception {
        for (String id : new String[] {"../x", "job-1", ID.toUpperCase(), "frames/" + ID}) {
            JobRequest request = new JobRequest(id, "blob:uploads/x/source", JobSpec.defaults(), 1);
            harness.processElement(Json.mapper().writeValueAsString(request), 0);
        }
        harness.processElement("not json at all", 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(ParseJobRequest.REJECTED)).isNull();
    }
}
