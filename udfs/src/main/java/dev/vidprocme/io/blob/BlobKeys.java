package dev.vidprocme.io.blob;

import java.util.regex.Pattern;

/**
 * The one place that builds and checks object keys. Keys never contain user-chosen text, so a
 * hostile file name cannot steer where an object lands.
 */
public final class BlobKeys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private BlobKeys() {}

    /** Where an uploaded source video is kept. */
    public static String upload(String jobId) {
        return "uploads/" + checkId(jobId) + "/source";
    }

    /** Where frame {@code index} of a job is kept. */
    public static String frame(String jobId, long index) {
        return "frames/" + checkId(jobId) + "/" + index + ".jpg";
    }

    /**
     * Where output {@code name} of a job is kept ({@code outputs/{jobId}/480p.mp4}, {@code
     * outputs/{jobId}/hls/master.m3u8}); {@code name} is checked like any key.
     */
    public static String output(String jobId, String name) {
        return "outputs/" + checkId(jobId) + "/" + check(name);
    }

    /**
     * Rejects keys that could escape the store's root or be read differently by another store: only
     * slash-separated segments of letters, digits, dot, dash and underscore, none of them '.' or
     * '..'.
     */
    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024) {
            throw new IllegalArgumentException("blob key must be 1..1024 characters");
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..")) {
                throw new IllegalArgumentException("illegal blob key: " + key);
            }
        }
        return key;
    }

    private static String checkId(String jobId) {
        if (jobId == null || !SEGMENT.matcher(jobId).matches()) {
            throw new IllegalArgumentException("illegal job id: " + jobId);
        }
        return jobId;
    }
}
