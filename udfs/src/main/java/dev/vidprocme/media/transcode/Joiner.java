package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Joins a rendition's encoded parts and its audio into the final file without re-encoding: the
 * concat demuxer in safe mode (relative names in one folder, {@code file} protocol only), with each
 * part's exact span as its duration so timestamps run on without a gap or an overlap.
 */
public final class Joiner {
    private Joiner() {}

    /**
     * Writes {@code out} ({@code mp4} or {@code webm} by {@code container}; {@code hls} gets an mp4
     * to package) from {@code partFiles}, which must lie in one folder and follow {@code
     * plan.parts()}; {@code audio} is null for none.
     */
    public static Path join(
            RenditionPlan plan,
            List<Path> partFiles,
            Path audio,
            String container,
            Path out,
            BooleanSupplier stop)
            throws TranscodeException {
        List<Part> parts = plan.parts();
        if (partFiles.size() != parts.size()) {
            throw new IllegalArgumentException(
                    parts.size() + " parts planned but " + partFiles.size() + " files given");
        }
        Path dir = partFiles.get(0).toAbsolutePath().getParent();
        StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
        for (int i = 0; i < parts.size(); i++) {
            Path file = partFiles.get(i).toAbsolutePath();
            if (!file.getParent().equals(dir)) {
                throw new IllegalArgumentException("parts must share one folder: " + file);
            }
            list.append("file '").append(file.getFileName()).append("'\n");
            list.append("duration ")
                    .append(RenditionPlan.seconds(parts.get(i).spanUs()))
                    .append('\n');
        }
        Path listFile = dir.resolve("parts.ffconcat");
        try {
            Files.writeString(listFile, list, StandardCharsets.UTF_8);
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new TranscodeException("cannot write the part list in " + dir, e);
        }
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
        args.addAll(List.of("-f", "concat", "-safe", "1", "-i", "file:" + listFile));
        if (audio != null) {
            args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
            args.addAll(List.of("-i", "file:" + audio.toAbsolutePath()));
        }
        args.addAll(List.of("-map", "0:v:0"));
        if (audio != null) {
            args.addAll(List.of("-map", "1:a:0"));
        }
        args.addAll(List.of("-c", "copy", "-map_metadata", "-1"));
        if (plan.videoCodec().equals("hevc")) {
            // Apple players take HEVC only under the hvc1 tag (parameter sets in the sample entry).
            args.addAll(List.of("-tag:v", "hvc1"));
        }
        if (container.equals("webm")) {
            args.addAll(List.of("-f", "webm"));
        } else {
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4"));
        }
        args.add(out.toAbsolutePath().toString());
        FfmpegRun.ffmpeg(args, null, stop, "joining rendition " + plan.spec().name());
        return out;
    }
}
