package dev.vidprocme.api;

import dev.vidprocme.io.db.QueueRepository;
import java.sql.SQLException;
import java.util.List;

/** {@code GET /v1/queue}: how many units wait and run at each priority, highest first. */
final class QueueHandler implements Handler {
    /** The response body: all ten priorities, 9 down to 0. */
    record Queue(List<QueueRepository.Bin> bins) {}

    private final QueueRepository queue;

    QueueHandler(QueueRepository queue) {
        this.queue = queue;
    }

    @Override
    public Reply handle(Request request) {
        try {
            return Reply.json(200, new Queue(queue.bins()));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
