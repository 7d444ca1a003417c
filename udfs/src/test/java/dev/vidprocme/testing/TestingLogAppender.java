package dev.vidprocme.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one class logs while a test runs, so the test can read what was said. */
public final class TestingLogAppender extends AbstractAppender implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private TestingLogAppender(Logger logger) {
        super("testing-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
    }

    /** Starts collecting what {@code source}'s logger logs at the level the test config allows. */
    public static TestingLogAppender attach(Class<?> source) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        TestingLogAppender appender = new TestingLogAppender(context.getLogger(source.getName()));
        appender.start();
        appender.logger.addAppender(appender);
        return appender;
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getMessage().getFormattedMessage());
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
