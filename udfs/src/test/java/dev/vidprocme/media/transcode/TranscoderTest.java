package dev.vidprocme.media.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranscoderTest {
    private static final int FPS = 25;
    private static final int SECONDS = 4;
    private static final long FRAME_US = 1_000_000 / FPS;

    @TempDir static Path dir;
    private static Path clip;
    private static ProbeResult probe;
    private static MediaStreams streams;
    private static ExecutorService workers;

    @BeforeAll
    static void makeClip() throws Exception {
        // A moving pattern with a tone, one keyframe a second: every part boundary is a keyframe.
        clip = SyntheticClips.testPatternWithTone(dir.resolve("clip.mp4"), SECONDS, FPS, 320, 240);
        probe = MediaProbe.probe(clip);
        streams = StreamProbe.probe(clip);
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopWorkers() {
        workers.shutdownNow();
    }

    private static OutputSpec rendition(
            String name, String container, String video, int height, String audio) {
        return new OutputSpec(
                name,
                container,
                new VideoOutputSpec(video, height, null, null, null, null),
                new AudioOutputSpec(audio, null));
    }

    @ParameterizedTest(name = "{0} {1} + {2}")
    @CsvSource({
        "mp4, h264, aac",
        "mp4, hevc, aac",
        "mp4, vp9, opus",
        "mp4, av1, none",
        "webm, vp9, opus",
        "webm, av1, opus",
        "hls, h264, copy",
        "hls, hevc, aac"
    })
    void eachCodecAndContainerProbesAsAsked(String container, String video, String audio)
            throws Exception {
        assumeThat(Codecs.hasEncoder(video))
                .as("this FFmpeg build has no %s encoder", Codecs.encoder(video))
                .isTrue();
        String name = container + "-" + video;
        Transcoder.Rendition r =
                new Transcoder(workers, 0)
                        .transcode(
                                clip,
                                probe,
                                streams,
                                rendition(name, container, video, 120, audio),
                                dir.resolve("codecs"),
                                p -> {},
                                () -> false);

        MediaStreams out = StreamProbe.probe(r.output());
        assertThat(out.video().codec()).isEqualTo(video);
        assertThat(out.video().height()).isEqualTo(120);
        assertThat(out.video().width()).isEqualTo(160);
        ProbeResult index = MediaProbe.probe(r.output());
        long[] pts = index.framePtsUs();
        assertThat(Math.abs(pts[pts.length - 1] + FRAME_US - SECONDS * 1_000_000L))
                .isLessThanOrEqualTo(FRAME_US);
        assertThat(pts).hasSize(SECONDS * FPS);
        String expectedAudio = audio.equals("copy") ? "aac" : audio.equals("none") ? null : audio;
        assertThat(out.audio() == null ? null : out.audio().codec()).isEqualTo(expectedAudio);
        assertThat(r.output().getFileName().toString())
                .endsWith(container.equals("webm") ? ".webm" : ".mp4");
        if (container.equals("hls")) {
            assertThat(r.hlsVariant().codecs())
                    .startsWith(video.equals("h264") ? "avc1." : "hvc1.")
                    .endsWith(",mp4a.40.2");
        }
    }

    @Test
    void partsJoinedPlayEndToEndWithEveryFrameOnce() throws Exception {
        OutputSpec spec = rendition("joined", "mp4", "h264", 180, "aac");
        List<Double> reports = new ArrayList<>();
        Transcoder.Rendition r =
                new Transcoder(workers, 1_000_000)
                        .transcode(
                                clip,
                                probe,
                                streams,
                                spec,
                                dir.resolve("joined"),
                                p -> {
                                    synchronized (reports) {
                                        reports.add(p);
                                    }
                                },
                                () -> false);

        assertThat(r.plan().parts()).hasSize(SECONDS);
        assertThat(reports).isNotEmpty();
        assertThat(reports.stream().mapToDouble(Double::doubleValue).max().orElse(0))
                .isEqualTo(100.0);
        // Decoding to the end with errors fatal: a broken join would stop it.
        runFfmpeg(
                List.of("-v", "error", "-xerror", "-i", r.output().toString(), "-f", "null", "-"));
        List<Long> pts = videoPacketTimesUs(r.output());
        assertThat(pts).hasSize(SECONDS * FPS);
        for (int i = 1; i < pts.size(); i++) {
            // One frame interval everywhere, joins included: nothing missing, nothing twice.
            assertThat(pts.get(i) - pts.get(i - 1))
                    .as("gap before frame %d", i)
                    .isBetween(FRAME_US - 1, FRAME_US + 1);
        }
        assertThat(r.probe().audio().codec()).isEqualTo("aac");
        assertThat(Math.abs(r.probe().audio().durationUs() - SECONDS * 1_000_000L))
                .as("audio encoded in one piece lasts as long as the input")
                .isLessThan(50_000);
        assertThat(dir.resolve("joined/joined.parts")).doesNotExist();
    }

    @Test
    void hlsMasterAndVariantsParseAndEverySegmentDecodes() throws Exception {
        Path out = dir.resolve("hls");
        Transcoder transcoder = new Transcoder(workers, 2_000_000);
        List<HlsVariant> variants = new ArrayList<>();
        for (int height : new int[] {120, 180}) {
            variants.add(
                    transcoder
                            .transcode(
                                    clip,
                                    probe,
                                    streams,
                                    rendition(height + "p", "hls", "h264", height, "aac"),
                                    out,
                                    p -> {},
                                    () -> false)
                            .hlsVariant());
        }
        Path master = HlsPackager.writeMaster(out.resolve(HlsPackager.MASTER_PLAYLIST), variants);

        List<String> lines = Files.readAllLines(master);
        assertThat(lines.get(0)).isEqualTo("#EXTM3U");
        List<Map<String, String>> infs = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
                infs.add(attributes(lines.get(i).substring("#EXT-X-STREAM-INF:".length())));
                uris.add(lines.get(i + 1));
            }
        }
        assertThat(uris).containsExactly("120p/index.m3u8", "180p/index.m3u8");
        assertThat(infs.get(0)).containsEntry("RESOLUTION", "160x120");
        assertThat(infs.get(1)).containsEntry("RESOLUTION", "240x180");
        for (int v = 0; v < infs.size(); v++) {
            Map<String, String> inf = infs.get(v);
            assertThat(inf.get("CODECS")).matches("\"avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2\"");
            assertThat(inf.get("FRAME-RATE")).isEqualTo("25.000");
            long peak = Long.parseLong(inf.get("BANDWIDTH"));
            long average = Long.parseLong(inf.get("AVERAGE-BANDWIDTH"));
            assertThat(average).isPositive().isLessThanOrEqualTo(peak);

            Path variantDir = out.resolve(uris.get(v)).getParent();
            List<String> playlist = Files.readAllLines(out.resolve(uris.get(v)));
            assertThat(playlist).contains("#EXT-X-ENDLIST", "#EXT-X-PLAYLIST-TYPE:VOD");
            String map =
                    playlist.stream().filter(l -> l.startsWith("#EXT-X-MAP:")).findFirst().get();
            String init = attributes(map.substring("#EXT-X-MAP:".length())).get("URI");
            byte[] initBytes = Files.readAllBytes(variantDir.resolve(init.replace("\"", "")));
            double total = 0;
            long frames = 0;
            for (int i = 0; i < playlist.size(); i++) {
                if (playlist.get(i).startsWith("#EXTINF:")) {
                    String d = playlist.get(i).substring(8);
                    total += Double.parseDouble(d.substring(0, d.indexOf(',')));
                    // An fMP4 segment decodes after its init segment, as a player feeds them.
                    Path segment = variantDir.resolve(playlist.get(i + 1));
                    Path whole = dir.resolve("segment-" + v + "-" + i + ".mp4");
                    Files.write(whole, concat(initBytes, Files.readAllBytes(segment)));
                    runFfmpeg(
                            List.of(
                                    "-v",
                                    "error",
                                    "-xerror",
                                    "-i",
                                    whole.toString(),
                                    "-f",
                                    "null",
                                    "-"));
                    frames += MediaProbe.probe(whole).framePtsUs().length;
                }
            }
            assertThat(total).isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(0.05));
            assertThat(frames).isEqualTo(SECONDS * FPS);
        }
    }

    @Test
    void verifierRejectsTruncatedOutput() throws Exception {
        Transcoder.Rendition r =
                new Transcoder(workers, 0)
                        .transcode(
                                clip,
                                probe,
                                streams,
                                rendition("verified", "mp4", "h264", 120, "aac"),
                                dir.resolve("verify"),
                                p -> {},
                                () -> false);
        OutputVerifier.Expectation expected = r.plan().expectation();

        // About half the input: plays, but is two seconds and some 50 frames short.
        Path half = dir.resolve("verify/half.mp4");
        runFfmpeg(
                List.of(
                        "-v",
                        "error",
                        "-i",
                        r.output().toString(),
                        "-t",
                        "2",
                        "-c",
                        "copy",
                        half.toString()));
        assertThatThrownBy(() -> OutputVerifier.verify(half, expected))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("video lasts 2.")
                .hasMessageContaining("frames, not 100");

        // Cut off mid-file: not readable at all.
        Path cut = dir.resolve("verify/cut.mp4");
        Files.copy(r.output(), cut);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThatThrownBy(() -> OutputVerifier.verify(cut, expected))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("cut.mp4");

        assertThatThrownBy(
                        () ->
                                OutputVerifier.verify(
                                        r.output(),
                                        new OutputVerifier.Expectation(
                                                "hevc", 160, 120, 4_000_000, FRAME_US, 100, "aac")))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("video codec is h264, not hevc");
    }

    @Test
    void cancelKillsTheEncoder() throws Exception {
        Path longer = SyntheticClips.testPattern(dir.resolve("longer.mp4"), 20, 25, 640, 360);
        ProbeResult longerProbe = MediaProbe.probe(longer);
        RenditionPlan plan =
                RenditionPlan.of(
                        rendition("cancelled", "webm", "vp9", 360, "none"),
                        longerProbe,
                        StreamProbe.probe(longer),
                        0);
        AtomicLong encoded = new AtomicLong();
        long pidsBefore = ffmpegChildren();

        assertThatThrownBy(
                        () ->
                                PartEncoder.encodeVideo(
                                        longer,
                                        plan,
                                        plan.parts().get(0),
                                        dir.resolve("cancel/part.mp4"),
                                        encoded::set,
                                        // Stop once FFmpeg has reported encoding under way.
                                        () -> encoded.get() > 0))
                .isInstanceOf(TranscodeCancelledException.class);

        assertThat(encoded.get()).isLessThan(plan.parts().get(0).spanUs());
        assertThat(ffmpegChildren()).isEqualTo(pidsBefore).isZero();
    }

    private static long ffmpegChildren() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith("/ffmpeg"))
                .count();
    }

    private static Map<String, String> attributes(String list) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)").matcher(list);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Presentation times of the video packets, sorted, in microseconds. */
    private static List<Long> videoPacketTimesUs(Path file) throws Exception {
        Process p =
                Ffmpeg.program(
                                Ffmpeg.probeExecutable(),
                                List.of(
                                        "-v",
                                        "error",
                                        "-select_streams",
                                        "v:0",
                                        "-show_entries",
                                        "packet=pts_time",
                                        "-of",
                                        "csv=p=0",
                                        file.toString()))
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines()
                .filter(l -> !l.isBlank())
                .map(l -> Math.round(Double.parseDouble(l.trim().replace(",", "")) * 1_000_000))
                .sorted()
                .toList();
    }

    private static void runFfmpeg(List<String> args) throws IOException, InterruptedException {
        Process p = Ffmpeg.program(Ffmpeg.executable(), args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("ffmpeg %s: %s", args, out).isZero();
        assertThat(out).as("ffmpeg reported errors").isBlank();
    }
}
