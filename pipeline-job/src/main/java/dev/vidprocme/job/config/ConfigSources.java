package dev.vidprocme.job.config;

import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Merges the places a setting can come from. Later sources win: the Flink configuration
 * (config.yaml), then environment variables ({@code VIDPROC_DB_URL} for {@code vidproc.db.url}),
 * then command-line arguments ({@code --vidproc.db.url VALUE}).
 */
public final class ConfigSources {
    private ConfigSources() {}

    /** The cluster's config.yaml when FLINK_CONF_DIR points at one, otherwise nothing. */
    public static Configuration flinkConfig() {
        String dir = System.getenv("FLINK_CONF_DIR");
        return dir == null ? new Configuration() : GlobalConfiguration.loadConfiguration(dir);
    }

    public static Configuration merge(Configuration flink, Map<String, String> env, String[] args) {
        Configuration merged = new Configuration(flink);
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = keyForEnv(e.getKey());
            if (key != null) {
                merged.setString(key, e.getValue());
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + arg + "'; use --key value");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + arg);
            }
            merged.setString(arg.substring(2), args[++i]);
        }
        return merged;
    }

    /**
     * {@code VIDPROC_DECODE_FFMPEG_THREADS} → {@code vidproc.decode.ffmpeg-threads}, for known keys
     * only.
     */
    static String keyForEnv(String name) {
        if (!name.startsWith("VIDPROC_")) {
            return null;
        }
        for (String key : PipelineConfig.knownKeys()) {
            if (envName(key).equals(name)) {
                return key;
            }
        }
        return null;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
