package dev.vidprocme.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder's stop condition also reaches FFmpeg's reads, through the interrupt callback: a read
 * that goes on without producing any frame is abandoned once the condition turns true.
 */
class InputInterruptTest {
    /** An MPEG-TS null packet: padding any demuxer reads and throws away. */
    private static final byte[] NULL_PACKET = nullPacket();

    /** Padding after the clip that ensures FFmpeg has read every video packet before the stop. */
    private static final int PADDING_BEFORE_STOP = 4 * 1024 * 1024;

    @TempDir Path dir;

    @Test
    // Without the callback the read never returns: fail then, from a thread native code cannot
    // hold.
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStopDuringAReadThatYieldsNoFrameAbandonsTheRead() throws Exception {
        Path mp4 = SyntheticClips.testPattern(dir.resolve("pattern.mp4"), 2, 30, 320, 180);
        Path ts =
                SyntheticClips.run(
                        dir.resolve("pattern.ts"),
                        List.of("-i", mp4.toString(), "-c", "copy", "-f", "mpegts"));
        SegmentTask task = onlySegment(ts);
        Path fifo = mkfifo(dir.resolve("stream.ts"));
        AtomicBoolean stop = new AtomicBoolean();
        // An endless source: the clip, then padding forever. Once FFmpeg has read far into the
        // padding, the demuxer loops over padding looking for the end of the last video packet and
        // av_read_frame never returns: only the check between reads can notice the stop. (The
        // interrupted demuxer then hands over the packet it holds, so the stop may be reported by
        // the frame check that follows.)
        Thread writer =
                new Thread(
                        () -> {
                            try (OutputStream out = Files.newOutputStream(fifo)) {
                                out.write(Files.readAllBytes(ts));
                                long padding = 0;
                                while (true) {
                                    out.write(NULL_PACKET);
                                    padding += NULL_PACKET.length;
                                    if (padding >= PADDING_BEFORE_STOP) {
                                        stop.set(true);
                                    }
                                }
                            } catch (IOException e) {
                                // The reader closed the pipe: the decode has ended.
                            }
                        },
                        "fifo-writer");
        writer.setDaemon(true);
        writer.start();
        List<Long> frames = new CopyOnWriteArrayList<>();

        assertThatThrownBy(
                        () ->
                                new SegmentDecoder(1)
                                        .decode(
                                                fifo,
                                                task,
                                                (i, p, w, h, jpeg) -> frames.add(i),
                                                stop::get))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.DEADLINE_EXCEEDED));
        writer.join();
        assertThat(stop).isTrue();
        assertThat(frames).as("frames decoded before the stop").isNotEmpty();
    }

    @Test
    void aStopBeforeOpeningEndsTheDecodeWithoutAFrame() throws Exception {
        Path clip = SyntheticClips.testPattern(dir.resolve("short.mp4"), 1, 30, 320, 180);
        List<Long> frames = new CopyOnWriteArrayList<>();

        assertThatThrownBy(
                        () ->
                                new SegmentDecoder(1)
                                        .decode(
                                                clip,
                                                onlySegment(clip),
                                                (i, p, w, h, jpeg) -> frames.add(i),
                                                () -> true))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.DEADLINE_EXCEEDED));
        assertThat(frames).isEmpty();
    }

    private static SegmentTask onlySegment(Path input) throws Exception {
        JobRequest request =
                new JobRequest(
                        "job",
                        input.toUri().toString(),
                        new JobSpec(null, 5, FrameSpec.everyFrame(), null),
                        0);
        List<SegmentTask> plan =
                SegmentPlanner.plan(request, MediaProbe.probe(input), 600_000_000L);
        assertThat(plan).hasSize(1);
        return plan.get(0);
    }

    private static Path mkfifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).as("mkfifo exit code").isZero();
        return path;
    }

    private static byte[] nullPacket() {
        byte[] packet = new byte[188];
        packet[0] = 0x47;
        packet[1] = 0x1f;
        packet[2] = (byte) 0xff;
        packet[3] = 0x10;
        return packet;
    }
}
