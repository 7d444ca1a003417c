package dev.vidprocme.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A job's callback URL from {@code jobs.spec}: job updates do not carry the spec, and a job's spec
 * never changes, so answers are cached (least recently used first out).
 */
public final class CallbackLookup {
    private final DataSource dataSource;
    private final Map<String, Optional<String>> cache;

    public CallbackLookup(DataSource dataSource, int cacheSize) {
        this.dataSource = dataSource;
        this.cache =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> e) {
                        return size() > cacheSize;
                    }
                };
    }

    /** The URL, or empty when the job has none (or no longer exists). */
    public Optional<String> callbackUrl(String jobId) throws SQLException {
        synchronized (cache) {
            Optional<String> hit = cache.get(jobId);
            if (hit != null) {
                return hit;
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT spec->>'callbackUrl' FROM jobs WHERE id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // Not cached: nothing to remember about a job that is not there.
                    return Optional.empty();
                }
                Optional<String> url =
                        Optional.ofNullable(rs.getString(1)).filter(s -> !s.isBlank());
                synchronized (cache) {
                    cache.put(jobId, url);
                }
                return url;
            }
        }
    }
}
