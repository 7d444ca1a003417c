package dev.vidprocme.media.transcode;

import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How one rendition of one input is made: the output size and rate, the encoder settings, and the
 * parts to encode in parallel. Built from the probe the plan stage already has plus a {@link
 * StreamProbe} of the input (for its audio and container start time).
 *
 * @param width output width (even; aspect of the upright input kept)
 * @param height output height (even; never above the input's unless the spec allows upscaling)
 * @param fps output frame rate, or 0 to keep the input's timestamps
 * @param inputFps the input's nominal frame rate
 * @param frameUs the input's nominal frame interval
 * @param durationUs the input video's duration (last frame's time plus one frame)
 * @param inputFrames the input's video frame count
 * @param originUs the input's first video presentation time, absolute
 * @param containerStartUs the input container's start time, which {@code -ss} counts from
 * @param audioCodec the output audio codec ({@code aac}, {@code opus}, {@code copy}) or null for
 *     none (asked for, or the input has no audio)
 * @param inputAudioCodec the input's audio codec, or null
 */
public record RenditionPlan(
        OutputSpec spec,
        int width,
        int height,
        double fps,
        double inputFps,
        long frameUs,
        long durationUs,
        long inputFrames,
        long originUs,
        long containerStartUs,
        String audioCodec,
        String inputAudioCodec,
        List<Part> parts) {

    public RenditionPlan {
        parts = List.copyOf(parts);
    }

    /**
     * Plans {@code spec} for an input; {@code targetPartUs} is the part length to aim for (0 for a
     * single part). Inputs whose container cannot seek exactly are encoded in one part.
     */
    public static RenditionPlan of(
            OutputSpec spec, ProbeResult probe, MediaStreams input, long targetPartUs) {
        VideoOutputSpec video = spec.video();
        int displayWidth = probe.video().displayWidth();
        int displayHeight = probe.video().displayHeight();
        int height = displayHeight;
        if (video.height() != null
                && (video.height() < displayHeight || Boolean.TRUE.equals(video.upscale()))) {
            height = video.height();
        }
        height = Math.max(2, height & ~1);
        int width =
                Math.max(
                        2,
                        (int) Math.round((double) displayWidth * height / displayHeight / 2) * 2);
        long frameUs = probe.frameDurationUs();
        long[] pts = probe.framePtsUs();
        long durationUs = pts[pts.length - 1] + frameUs;
        String audio = Codecs.audioCodec(spec);
        String inputAudio = input.audio() == null ? null : input.audio().codec();
        if (audio.equals("none") || inputAudio == null) {
            audio = null;
        }
        long containerStart = input.startUs() >= 0 ? input.startUs() : probe.originUs();
        List<Part> parts =
                parts(spec.name(), probe, targetPartUs > 0 && probe.exactSeek() ? targetPartUs : 0);
        return new RenditionPlan(
                spec,
                width,
                height,
                video.fps() == null ? 0 : video.fps(),
                probe.video().fps(),
                frameUs,
                durationUs,
                pts.length,
                probe.originUs(),
                containerStart,
                audio,
                inputAudio,
                parts);
    }

    /**
     * Cuts about every {@code targetUs} at a frame: at the first keyframe at or after the target
     * time when one comes within a quarter of a part (the seek then lands on it, with no frames to
     * decode and throw away), else at the first frame after the target time, so inputs with rare
     * keyframes still spread over every worker. No part is shorter than half a target.
     */
    static List<Part> parts(String rendition, ProbeResult probe, long targetUs) {
        long[] pts = probe.framePtsUs();
        long durationUs = pts[pts.length - 1] + probe.frameDurationUs();
        List<Long> cuts = new ArrayList<>(List.of(0L));
        if (targetUs > 0) {
            long[] keys = probe.keyframePtsUs();
            while (true) {
                long wanted = cuts.get(cuts.size() - 1) + targetUs;
                long key = firstAtOrAfter(keys, wanted);
                long cut =
                        key >= 0 && key - wanted <= targetUs / 4
                                ? key
                                : firstAtOrAfter(pts, wanted);
                if (cut < 0 || durationUs - cut < targetUs / 2) {
                    break;
                }
                cuts.add(cut);
            }
        }
        List<Part> parts = new ArrayList<>(cuts.size());
        for (int i = 0; i < cuts.size(); i++) {
            long end = i + 1 < cuts.size() ? cuts.get(i + 1) : durationUs;
            parts.add(new Part(rendition, i, cuts.size(), cuts.get(i), end));
        }
        return parts;
    }

    private static long firstAtOrAfter(long[] sorted, long t) {
        int i = java.util.Arrays.binarySearch(sorted, t);
        if (i < 0) {
            i = -(i + 1);
        }
        return i < sorted.length ? sorted[i] : -1;
    }

    /** The frame rate the output has: the asked one, or the input's. */
    public double outputFps() {
        return fps > 0 ? fps : inputFps > 0 ? inputFps : 25;
    }

    /** Video codec of the output. */
    public String videoCodec() {
        return spec.video().codec();
    }

    /** What the finished rendition must probe as. */
    public OutputVerifier.Expectation expectation() {
        long outFrameUs = Math.round(1_000_000 / outputFps());
        String audio =
                audioCodec == null
                        ? null
                        : audioCodec.equals("copy") ? inputAudioCodec : audioCodec;
        return new OutputVerifier.Expectation(
                videoCodec(),
                width,
                height,
                durationUs,
                Math.max(frameUs, outFrameUs),
                fps > 0 ? -1 : inputFrames,
                audio);
    }

    /** The part's span as ffmpeg input options: accurate seek and duration, in seconds. */
    List<String> inputWindow(Part part) {
        if (parts.size() == 1) {
            return List.of();
        }
        // Cut halfway between frames, so rounding of timestamps cannot move a frame across.
        long from = part.first() ? 0 : part.startUs() - frameUs / 2;
        long seek = Math.max(0, originUs + from - containerStartUs);
        List<String> args = new ArrayList<>(List.of("-ss", seconds(seek)));
        if (!part.last()) {
            args.addAll(List.of("-t", seconds(part.endUs() - frameUs / 2 - from)));
        }
        return args;
    }

    static String seconds(long us) {
        return String.format(java.util.Locale.ROOT, "%d.%06d", us / 1_000_000, us % 1_000_000);
    }
}
