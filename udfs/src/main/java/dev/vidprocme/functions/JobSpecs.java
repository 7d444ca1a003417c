package dev.vidprocme.functions;

import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Job specs by job id, read from the jobs table and kept in a small LRU cache: the stages after
 * decoding (analysis, captions) need a job's settings without every record carrying the whole spec
 * through the graph.
 */
final class JobSpecs {
    private static final int CAPACITY = 1024;

    private final JobRepository jobs;
    private final Map<String, JobSpec> cache =
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, JobSpec> eldest) {
                    return size() > CAPACITY;
                }
            };

    JobSpecs(DataSource dataSource) {
        this.jobs = new JobRepository(dataSource);
    }

    /** The job's spec; empty when the job does not exist (any more). */
    Optional<JobSpec> get(String jobId) throws SQLException, IOException {
        synchronized (cache) {
            JobSpec cached = cache.get(jobId);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<JobRow> row = jobs.find(jobId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        JobSpec spec = Json.mapper().readValue(row.get().specJson(), JobSpec.class);
        synchronized (cache) {
            cache.put(jobId, spec);
        }
        return Optional.of(spec);
    }
}
