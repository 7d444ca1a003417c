package dev.vidprocme.analysis.caption;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A usage ledger that lives as long as the process: for tests and single-run tools. */
public final class InMemoryUsageLedger implements UsageLedger {
    private final Map<String, Map<String, FrameUsage>> byJob = new ConcurrentHashMap<>();

    @Override
    public void record(String jobId, List<FrameUsage> usage) {
        Map<String, FrameUsage> rows = byJob.computeIfAbsent(jobId, j -> new ConcurrentHashMap<>());
        for (FrameUsage u : usage) {
            rows.put(u.frameIndex() + "/" + u.model(), u);
        }
    }

    @Override
    public Usage totalFor(String jobId) {
        Map<String, FrameUsage> rows = byJob.getOrDefault(jobId, Map.of());
        long in = 0;
        long out = 0;
        double cost = 0;
        for (FrameUsage u : rows.values()) {
            in += u.inputTokens();
            out += u.outputTokens();
            cost += u.costUsd();
        }
        return new Usage(in, out, cost, rows.size());
    }
}
