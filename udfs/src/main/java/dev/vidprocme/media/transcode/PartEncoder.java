package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Encodes one {@link Part} of a rendition's video into an mp4 that starts with a keyframe and has
 * closed GOPs, so parts join by concatenation; and a rendition's audio in one piece, so joins
 * cannot click or gap.
 */
public final class PartEncoder {
    /** Keyframe interval in seconds: HLS segments and seeking both cut at keyframes. */
    static final double GOP_SECONDS = 2;

    private PartEncoder() {}

    /**
     * Encodes {@code part} of {@code input} into {@code out}, reporting microseconds of input
     * encoded (0..span) to {@code progressUs}; kills FFmpeg and throws {@link
     * TranscodeCancelledException} when {@code stop} turns true.
     */
    public static Path encodeVideo(
            Path input,
            RenditionPlan plan,
            Part part,
            Path out,
            LongConsumer progressUs,
            BooleanSupplier stop)
            throws TranscodeException {
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
        args.addAll(plan.inputWindow(part));
        args.addAll(List.of("-i", "file:" + input.toAbsolutePath()));
        args.addAll(List.of("-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1"));
        args.addAll(List.of("-vf", filters(plan), "-pix_fmt", "yuv420p"));
        args.addAll(videoCodec(plan));
        args.addAll(List.of("-progress", "pipe:1", "-nostats", "-f", "mp4"));
        args.add(prepare(out));
        long span = part.spanUs();
        FfmpegRun.ffmpeg(
                args,
                us -> progressUs.accept(Math.min(us, span)),
                stop,
                "encoding part " + part.index() + " of rendition " + part.rendition());
        progressUs.accept(span);
        return out;
    }

    /**
     * Encodes (or copies) the whole audio track of {@code input} into a Matroska file {@code out},
     * which takes every codec; returns null without running anything when the plan has no audio.
     */
    public static Path encodeAudio(Path input, RenditionPlan plan, Path out, BooleanSupplier stop)
            throws TranscodeException {
        if (plan.audioCodec() == null) {
            return null;
        }
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
        args.addAll(List.of("-i", "file:" + input.toAbsolutePath()));
        args.addAll(List.of("-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1"));
        args.addAll(audioCodec(plan));
        args.addAll(List.of("-nostats", "-f", "matroska"));
        args.add(prepare(out));
        FfmpegRun.ffmpeg(args, null, stop, "encoding audio of rendition " + plan.spec().name());
        return out;
    }

    private static String filters(RenditionPlan plan) {
        // The input is auto-rotated upright before this chain, which is why the plan uses the
        // display size.
        StringBuilder vf =
                new StringBuilder("scale=" + plan.width() + ":" + plan.height() + ",setsar=1");
        if (plan.fps() > 0) {
            vf.append(",fps=").append(String.format(Locale.ROOT, "%.6f", plan.fps()));
        }
        return vf.toString();
    }

    static List<String> videoCodec(RenditionPlan plan) {
        VideoOutputSpec video = plan.spec().video();
        String codec = video.codec();
        Integer kbps = video.bitrateKbps();
        int crf = video.crf() != null ? video.crf() : Codecs.defaultCrf(codec);
        int gop = Math.max(1, (int) Math.round(plan.outputFps() * GOP_SECONDS));
        List<String> args = new ArrayList<>(List.of("-c:v", Codecs.encoder(codec)));
        switch (codec) {
            case "h264" -> {
                // x264's GOPs are closed unless open-gop is asked for.
                args.addAll(List.of("-preset", Codecs.X26X_PRESET, "-profile:v", "high"));
                args.addAll(kbps != null ? vbv(kbps) : List.of("-crf", String.valueOf(crf)));
            }
            case "hevc" -> {
                args.addAll(List.of("-preset", Codecs.X26X_PRESET, "-tag:v", "hvc1"));
                // x265 opens GOPs by default; a CRA's leading pictures would reach into the
                // previous part or HLS segment.
                args.addAll(List.of("-x265-params", "open-gop=0:log-level=error"));
                args.addAll(kbps != null ? vbv(kbps) : List.of("-crf", String.valueOf(crf)));
            }
            case "vp9" -> {
                args.addAll(List.of("-deadline", "good", "-cpu-used", "5", "-row-mt", "1"));
                args.addAll(
                        kbps != null
                                ? List.of("-b:v", kbps + "k")
                                : List.of("-crf", String.valueOf(crf), "-b:v", "0"));
            }
            case "av1" -> {
                args.addAll(List.of("-preset", Codecs.SVT_AV1_PRESET));
                args.addAll(
                        kbps != null
                                ? List.of("-b:v", kbps + "k")
                                : List.of("-crf", String.valueOf(crf)));
            }
            default -> throw new IllegalArgumentException("unsupported video codec " + codec);
        }
        args.addAll(List.of("-g", String.valueOf(gop)));
        return args;
    }

    /** A capped average bitrate: peaks up to 1.5x, buffer of two seconds at the target. */
    private static List<String> vbv(int kbps) {
        return List.of(
                "-b:v", kbps + "k", "-maxrate", (kbps * 3 / 2) + "k", "-bufsize", (kbps * 2) + "k");
    }

    private static List<String> audioCodec(RenditionPlan plan) {
        AudioOutputSpec audio = plan.spec().audio();
        Integer kbps = audio == null ? null : audio.bitrateKbps();
        return switch (plan.audioCodec()) {
            case "copy" -> List.of("-c:a", "copy");
            case "aac" -> List.of("-c:a", "aac", "-b:a", (kbps == null ? 128 : kbps) + "k");
            case "opus" -> List.of("-c:a", "libopus", "-b:a", (kbps == null ? 96 : kbps) + "k");
            default ->
                    throw new IllegalArgumentException(
                            "unsupported audio codec " + plan.audioCodec());
        };
    }

    private static String prepare(Path out) throws TranscodeException {
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new TranscodeException("cannot create " + out.getParent(), e);
        }
        return out.toAbsolutePath().toString();
    }
}
