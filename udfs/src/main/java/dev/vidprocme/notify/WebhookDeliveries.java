package dev.vidprocme.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The {@code webhook_deliveries} table: who is delivering which event, and which events are
 * delivered, so that a replay never POSTs an event twice and two senders never POST it at once.
 */
public final class WebhookDeliveries {
    /** The result of trying to take an event for delivery. */
    public sealed interface Claim permits Claimed, Delivered, Busy {}

    /** This sender holds the event; {@code attempts} were made before (by crashed senders). */
    public record Claimed(int attempts) implements Claim {}

    /** Already delivered: nothing to do. */
    public record Delivered() implements Claim {}

    /** Another sender holds it for {@code left} more; ask again then. */
    public record Busy(Duration left) implements Claim {}

    private final DataSource dataSource;

    public WebhookDeliveries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the event for {@code lease} unless it is delivered or held by another. Leases are
     * reckoned on the database's clock, the one all senders share.
     */
    public Claim claim(String eventId, String jobId, String url, Duration lease)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO webhook_deliveries AS d (event_id, job_id, url, status,"
                                    + " claimed_until) VALUES (?, ?, ?, 'sending', now() +"
                                    + " make_interval(secs => ?)) ON CONFLICT"
                                    + " (event_id) DO UPDATE SET status = 'sending', url ="
                                    + " EXCLUDED.url, claimed_until = EXCLUDED.claimed_until,"
                                    + " updated_at = now() WHERE d.status = 'failed' OR (d.status ="
                                    + " 'sending' AND d.claimed_until < now()) RETURNING"
                                    + " attempts")) {
                ps.setString(1, eventId);
                ps.setString(2, jobId);
                ps.setString(3, url);
                ps.setDouble(4, lease.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Claimed(rs.getInt(1));
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT status, GREATEST(0, EXTRACT(EPOCH FROM claimed_until -"
                                    + " now())) FROM webhook_deliveries WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // Deleted with its job in between: nothing left to deliver to.
                        return new Delivered();
                    }
                    if ("delivered".equals(rs.getString(1))) {
                        return new Delivered();
                    }
                    return new Busy(Duration.ofMillis((long) (rs.getDouble(2) * 1000)));
                }
            }
        }
    }

    /** Records a failed attempt and extends the lease to cover the wait before the next. */
    public void attemptFailed(String eventId, int attempts, String error, Duration lease)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE webhook_deliveries SET attempts = ?, last_error = ?,"
                                        + " claimed_until = now() + make_interval(secs => ?),"
                                        + " updated_at = now() WHERE event_id = ?")) {
            ps.setInt(1, attempts);
            ps.setString(2, truncate(error));
            ps.setDouble(3, lease.toMillis() / 1000.0);
            ps.setString(4, eventId);
            ps.executeUpdate();
        }
    }

    public void delivered(String eventId, int attempts) throws SQLException {
        finish(eventId, "delivered", attempts, null);
    }

    /** Gives the event up; a later replay may claim it again. */
    public void failed(String eventId, int attempts, String error) throws SQLException {
        finish(eventId, "failed", attempts, error);
    }

    private void finish(String eventId, String status, int attempts, String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                                        + " last_error = ?, claimed_until = NULL, delivered_at ="
                                        + " CASE WHEN ? THEN now() END, updated_at = now() WHERE"
                                        + " event_id = ?")) {
            ps.setString(1, status);
            ps.setInt(2, attempts);
            ps.setString(3, error == null ? null : truncate(error));
            ps.setBoolean(4, status.equals("delivered"));
            ps.setString(5, eventId);
            ps.executeUpdate();
        }
    }

    private static String truncate(String s) {
        return s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }
}
