package dev.vidprocme.media;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.VideoInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProbeTest {
    @TempDir static Path dir;
    private static Path clip;
    private static Path rotated;
    private static Path transportStream;

    @BeforeAll
    static void makeClips() throws IOException {
        clip = SyntheticClips.testPattern(dir.resolve("pattern.mp4"), 5, 30, 640, 360);
        rotated = SyntheticClips.rotated(dir.resolve("rotated.mp4"), 1, 30, 320, 180, -90);
        transportStream =
                SyntheticClips.run(
                        dir.resolve("pattern.ts"),
                        List.of("-i", clip.toString(), "-c", "copy", "-f", "mpegts"));
    }

    @Test
    void probesTheCodecSizeRateAndFrameCountOfAnMp4() throws MediaException {
        ProbeResult probe = MediaProbe.probe(clip);
        VideoInfo video = probe.video();

        assertThat(video.container()).contains("mp4");
        assertThat(video.codec()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(360);
        assertThat(video.fps()).isCloseTo(30.0, within(0.01));
        assertThat(video.frameCount()).isEqualTo(150);
        assertThat(video.durationMs()).isCloseTo(5000L, within(34L));
        assertThat(video.rotation()).isZero();
        assertThat(video.displayWidth()).isEqualTo(640);
        assertThat(probe.exactSeek()).isTrue();
        assertThat(probe.corruptPackets()).isZero();
        assertThat(probe.indexError()).isNull();
        assertThat(probe.frameDurationUs()).isEqualTo(33_333);
    }

    @Test
    void indexesEveryFrameAndAKeyframeEverySecond() throws MediaException {
        ProbeResult probe = MediaProbe.probe(clip);

        long[] frames = probe.framePtsUs();
        assertThat(frames).hasSize(150);
        assertThat(frames[0]).isZero();
        for (int i = 1; i < frames.length; i++) {
            assertThat(frames[i] - frames[i - 1])
                    .as("gap before frame %d", i)
                    .isCloseTo(33_333L, within(2L));
        }
        assertThat(probe.keyframePtsUs()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(probe.keyframePtsUs()[i]).isCloseTo(i * 1_000_000L, within(2L));
        }
    }

    @Test
    void aTransportStreamIsNotExactlySeekable() throws MediaException {
        ProbeResult probe = MediaProbe.probe(transportStream);

        assertThat(probe.video().container()).isEqualTo("mpegts");
        assertThat(probe.video().frameCount()).isEqualTo(150);
        assertThat(probe.exactSeek()).isFalse();
    }

    @Test
    void reportsClockwiseRotationOfAClipTaggedCounterClockwise() throws MediaException {
        VideoInfo video = MediaProbe.probe(rotated).video();

        assertThat(video.rotation()).isEqualTo(90);
        assertThat(video.width()).isEqualTo(320);
        assertThat(video.height()).isEqualTo(180);
        assertThat(video.displayWidth()).isEqualTo(180);
        assertThat(video.displayHeight()).isEqualTo(320);
    }

    @Test
    void aZeroByteFileIsEmptyInput() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));

        assertProbeFails(empty, FailureCode.EMPTY_INPUT);
    }

    @Test
    void randomBytesAreAnUnrecognizedFormat() throws IOException {
        byte[] noise = new byte[64 * 1024];
        new Random(42).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.mp4"), noise);

        assertProbeFails(file, FailureCode.UNRECOGNIZED_FORMAT);
    }

    @Test
    void anMp4WithoutItsMoovBoxSaysSo() throws IOException {
        Path cut = withTopLevelBoxes(clip, dir.resolve("no-moov.mp4"), List.of("ftyp", "mdat"));

        assertThat(topLevelBoxes(cut)).containsExactly("ftyp", "mdat");
        assertThatThrownBy(() -> MediaProbe.probe(cut))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.MP4_MISSING_MOOV))
                .hasMessageContaining("moov");
    }

    @Test
    void anAudioOnlyFileHasNoVideoStream() throws IOException {
        Path audio =
                SyntheticClips.run(
                        dir.resolve("tone.m4a"),
                        List.of("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"));

        assertThatThrownBy(() -> MediaProbe.probe(audio))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.NO_VIDEO_STREAM))
                .hasMessageContaining("audio");
    }

    @Test
    void aMissingFileIsInputNotFound() {
        assertProbeFails(dir.resolve("does-not-exist.mp4"), FailureCode.INPUT_NOT_FOUND);
    }

    @Test
    void refusesAnHlsPlaylistThatPlainFfmpegWouldFollow() throws Exception {
        Path playlist =
                Files.writeString(
                        dir.resolve("list.m3u8"),
                        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.0,\n"
                                + transportStream.getFileName()
                                + "\n#EXT-X-ENDLIST\n",
                        US_ASCII);
        // Control: without our whitelists FFmpeg reads the referenced segment through the playlist.
        SyntheticClips.run(
                dir.resolve("via-hls.jpg"), List.of("-i", playlist.toString(), "-frames:v", "1"));
        assertThat(dir.resolve("via-hls.jpg")).isNotEmptyFile();

        assertProbeFails(playlist, FailureCode.UNRECOGNIZED_FORMAT);
        assertDecodesNoFrame(playlist);
    }

    @Test
    void refusesAnFfconcatListThatPlainFfmpegWouldFollow() throws Exception {
        Path list =
                Files.writeString(
                        dir.resolve("list.ffconcat"),
                        "ffconcat version 1.0\nfile " + transportStream.getFileName() + "\n",
                        US_ASCII);
        SyntheticClips.run(
                dir.resolve("via-concat.jpg"), List.of("-i", list.toString(), "-frames:v", "1"));
        assertThat(dir.resolve("via-concat.jpg")).isNotEmptyFile();

        assertProbeFails(list, FailureCode.UNRECOGNIZED_FORMAT);
        assertDecodesNoFrame(list);
    }

    /**
     * The playlists point at a FIFO nobody writes to: opening it for reading would block for ever,
     * so returning at all proves FFmpeg never opened the referenced file. The timeout only turns a
     * regression into a failure instead of a hang.
     */
    @Test
    void neverOpensTheFilesAPlaylistReferences() throws Exception {
        Path fifo = dir.resolve("segment.ts");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Path hls =
                Files.writeString(
                        dir.resolve("fifo.m3u8"),
                        "#EXTM3U\n#EXTINF:5.0,\nsegment.ts\n#EXT-X-ENDLIST\n",
                        US_ASCII);
        Path concat =
                Files.writeString(
                        dir.resolve("fifo.ffconcat"),
                        "ffconcat version 1.0\nfile segment.ts\n",
                        US_ASCII);

        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> {
                    assertProbeFails(hls, FailureCode.UNRECOGNIZED_FORMAT);
                    assertProbeFails(concat, FailureCode.UNRECOGNIZED_FORMAT);
                });
    }

    private static void assertDecodesNoFrame(Path input) {
        SegmentTask task =
                new SegmentTask(
                        "job",
                        0,
                        1,
                        input.toUri().toString(),
                        0,
                        33_333,
                        0,
                        Long.MAX_VALUE,
                        0,
                        0,
                        150,
                        true,
                        FrameSpec.everyFrame(),
                        0,
                        5,
                        0);
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(
                        () ->
                                new SegmentDecoder(1)
                                        .decode(
                                                input,
                                                task,
                                                (i, pts, w, h, jpeg) -> seen.add(i),
                                                () -> false))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.UNRECOGNIZED_FORMAT));
        assertThat(seen).isEmpty();
    }

    private static void assertProbeFails(Path input, FailureCode code) {
        assertThatThrownBy(() -> MediaProbe.probe(input))
                .isInstanceOfSatisfying(
                        MediaException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Copies the ISO-BMFF file {@code in}, keeping only the named top-level boxes. */
    static Path withTopLevelBoxes(Path in, Path out, List<String> keep) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(in));
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        while (file.remaining() >= 8) {
            int start = file.position();
            long size = Integer.toUnsignedLong(file.getInt());
            String type =
                    new String(
                            new byte[] {file.get(), file.get(), file.get(), file.get()}, US_ASCII);
            if (size == 1) {
                size = file.getLong();
            } else if (size == 0) {
                size = file.limit() - start;
            }
            if (keep.contains(type)) {
                kept.write(file.array(), start, (int) size);
            }
            file.position(start + (int) size);
        }
        return Files.write(out, kept.toByteArray());
    }

    static List<String> topLevelBoxes(Path in) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(in));
        List<String> types = new ArrayList<>();
        while (file.remaining() >= 8) {
            int start = file.position();
            long size = Integer.toUnsignedLong(file.getInt());
            types.add(
                    new String(
                            new byte[] {file.get(), file.get(), file.get(), file.get()}, US_ASCII));
            file.position(start + (int) size);
        }
        return types;
    }
}
