package dev.vidprocme.job.testing;

import dev.vidprocme.embedded.EmbeddedKafka;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;

/**
 * The real Kafka broker and PostgreSQL server the ITCases of one test JVM share: starting them
 * takes seconds, and tests isolate themselves by topic and job id instead.
 *
 * <p>A test that stops or restarts a service takes a {@link #dedicated()} pair instead, so that the
 * outage it causes never reaches a pipeline another test class is running in the same JVM.
 */
public final class TestServices implements AutoCloseable {
    private static TestServices shared;

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final boolean isShared;

    private TestServices(boolean isShared) {
        this.isShared = isShared;
        kafka = EmbeddedKafka.start();
        try {
            postgres = EmbeddedPostgres.builder().start();
            Database.migrate(db());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public static synchronized TestServices get() {
        if (shared == null) {
            shared = new TestServices(true);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(shared::closeServices, "test-services-shutdown"));
        }
        return shared;
    }

    /**
     * A Kafka broker and a migrated PostgreSQL server of the caller's own, which it may stop and
     * restart at will; the caller closes them.
     */
    public static TestServices dedicated() {
        return new TestServices(false);
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

    /**
     * Stops and deletes a {@link #dedicated()} pair; the shared one belongs to every test in the
     * JVM and closes at its exit.
     */
    @Override
    public void close() {
        if (isShared) {
            throw new IllegalStateException("The shared test services close when the JVM exits");
        }
        closeServices();
    }

    private void closeServices() {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
