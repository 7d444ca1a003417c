package dev.vidprocme.job.testing;

import dev.vidprocme.embedded.EmbeddedKafka;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;

/**
 * The real Kafka broker and PostgreSQL server the ITCases of one test JVM share: starting them
 * takes seconds, and tests isolate themselves by topic and job id instead.
 */
public final class TestServices {
    private static TestServices instance;

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;

    private TestServices() {
        kafka = EmbeddedKafka.start();
        postgres = EmbeddedPostgres.builder().start();
        Database.migrate(db());
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-services-shutdown"));
    }

    public static synchronized TestServices get() {
        if (instance == null) {
            instance = new TestServices();
        }
        return instance;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public DbSettings db() {
        return new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private void close() {
        kafka.close();
        postgres.close();
    }
}
