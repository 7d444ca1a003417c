package dev.vidprocme.media.transcode;

import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a written rendition before the job may complete: it probes to the end, its streams have
 * the asked codecs and size, its video lasts as long as the input (within one frame) and, where the
 * frame rate was kept, holds every input frame.
 */
public final class OutputVerifier {
    private OutputVerifier() {}

    /**
     * What a rendition must probe as.
     *
     * @param durationUs the input span the output covers
     * @param toleranceUs how far the output's duration may differ (one frame interval)
     * @param frames the video frame count it must have, or -1 when the rate changed
     * @param audioCodec the audio codec it must carry, or null for no audio stream
     */
    public record Expectation(
            String videoCodec,
            int width,
            int height,
            long durationUs,
            long toleranceUs,
            long frames,
            String audioCodec) {}

    /** Returns the probe of {@code output}, or throws naming every mismatch. */
    public static MediaStreams verify(Path output, Expectation expected)
            throws VerificationException {
        if (!Files.isRegularFile(output)) {
            throw new VerificationException("output " + output.getFileName() + " was not written");
        }
        MediaStreams probe;
        ProbeResult index;
        try {
            probe = StreamProbe.probe(output);
            // The packet index gives the video's own duration (a container's counts its longest
            // stream, and WebM stores none per stream) and its frame count.
            index = MediaProbe.probe(output);
        } catch (TranscodeException | MediaException e) {
            throw new VerificationException(
                    "output " + output.getFileName() + " cannot be read: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        MediaStreams.Stream video = probe.video();
        if (video == null) {
            problems.add("it has no video stream");
        } else {
            if (!video.codec().equals(expected.videoCodec())) {
                problems.add("video codec is " + video.codec() + ", not " + expected.videoCodec());
            }
            if (video.width() != expected.width() || video.height() != expected.height()) {
                problems.add(
                        "video is "
                                + video.width()
                                + "x"
                                + video.height()
                                + ", not "
                                + expected.width()
                                + "x"
                                + expected.height());
            }
            long[] pts = index.framePtsUs();
            long duration = pts[pts.length - 1] + index.frameDurationUs();
            if (Math.abs(duration - expected.durationUs()) > expected.toleranceUs()) {
                problems.add(
                        "video lasts "
                                + RenditionPlan.seconds(Math.max(0, duration))
                                + " s, not "
                                + RenditionPlan.seconds(expected.durationUs())
                                + " s (+/- "
                                + RenditionPlan.seconds(expected.toleranceUs())
                                + ")");
            }
            if (expected.frames() >= 0 && pts.length != expected.frames()) {
                problems.add("video has " + pts.length + " frames, not " + expected.frames());
            }
        }
        MediaStreams.Stream audio = probe.audio();
        if (expected.audioCodec() == null && audio != null) {
            problems.add("it has an audio stream (" + audio.codec() + ") where none was asked");
        } else if (expected.audioCodec() != null && audio == null) {
            problems.add("it has no audio stream, not " + expected.audioCodec());
        } else if (audio != null && !audio.codec().equals(expected.audioCodec())) {
            problems.add("audio codec is " + audio.codec() + ", not " + expected.audioCodec());
        }
        if (!problems.isEmpty()) {
            throw new VerificationException(
                    "output "
                            + output.getFileName()
                            + " fails verification: "
                            + String.join("; ", problems));
        }
        return probe;
    }
}
