package dev.vidprocme.spec;

import dev.vidprocme.media.transcode.Codecs;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.ThumbnailSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules for the {@code outputs} and {@code thumbnails} sections: ranges, which container takes
 * which codecs, and whether this server's FFmpeg can encode them, so a rendition that cannot be
 * made is refused at submission rather than by a failing job.
 */
final class OutputSpecRules {
    static final int MAX_OUTPUTS = 10;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final int MIN_HEIGHT = 32;
    static final int MAX_HEIGHT = 4320;
    static final int MIN_VIDEO_KBPS = 50;
    static final int MAX_VIDEO_KBPS = 100_000;
    static final int MIN_AUDIO_KBPS = 16;
    static final int MAX_AUDIO_KBPS = 512;
    static final double MAX_OUTPUT_FPS = 120;
    static final double MIN_INTERVAL_SECONDS = 0.1;
    static final double MAX_INTERVAL_SECONDS = 3600;
    static final int MIN_TILE_WIDTH = 16;
    static final int MAX_TILE_WIDTH = 1920;
    static final int MAX_COLUMNS = 100;

    private OutputSpecRules() {}

    static void checkOutputs(List<OutputSpec> outputs) throws SpecException {
        if (outputs.size() > MAX_OUTPUTS) {
            throw new SpecException(
                    "outputs",
                    "outputs may list at most "
                            + MAX_OUTPUTS
                            + " renditions, got "
                            + outputs.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            String at = "outputs[" + i + "]";
            OutputSpec output = outputs.get(i);
            if (output == null) {
                throw new SpecException(at, at + " must be a rendition object, not null");
            }
            checkName(at, output.name(), names);
            String container = output.container();
            if (container == null || !Codecs.CONTAINERS.contains(container)) {
                throw new SpecException(
                        at + ".container",
                        at
                                + ".container must be one of "
                                + Codecs.CONTAINERS
                                + ", got "
                                + quoted(container));
            }
            checkVideo(at + ".video", container, output.video());
            checkAudio(at + ".audio", container, output.audio());
        }
    }

    private static void checkName(String at, String name, Set<String> names) throws SpecException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpecException(
                    at + ".name",
                    at
                            + ".name must be 1 to 64 letters, digits, '-' or '_' starting with a"
                            + " letter or digit (it names the output files), got "
                            + quoted(name));
        }
        // Case-insensitive: the names become file names, and not every file system tells case.
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
            throw new SpecException(
                    at + ".name", at + ".name '" + name + "' is already used by another rendition");
        }
    }

    private static void checkVideo(String at, String container, VideoOutputSpec video)
            throws SpecException {
        if (video == null) {
            throw new SpecException(at, at + " is required: every rendition has a video stream");
        }
        String codec = video.codec();
        if (codec == null || !Codecs.VIDEO_CODECS.contains(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at + ".codec must be one of " + Codecs.VIDEO_CODECS + ", got " + quoted(codec));
        }
        if (!Codecs.videoCodecs(container).contains(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at
                            + ".codec "
                            + codec
                            + " cannot go in a "
                            + container
                            + " rendition; "
                            + container
                            + " takes "
                            + new TreeSet<>(Codecs.videoCodecs(container)));
        }
        if (!Codecs.hasEncoder(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at
                            + ".codec "
                            + codec
                            + " cannot be encoded here: this server's FFmpeg has no "
                            + Codecs.encoder(codec)
                            + " encoder");
        }
        if (video.height() != null
                && (video.height() < MIN_HEIGHT
                        || video.height() > MAX_HEIGHT
                        || video.height() % 2 != 0)) {
            throw new SpecException(
                    at + ".height",
                    at
                            + ".height must be an even number of pixels between "
                            + MIN_HEIGHT
                            + " and "
                            + MAX_HEIGHT
                            + ", got "
                            + video.height());
        }
        if (video.crf() != null && video.bitrateKbps() != null) {
            throw new SpecException(
                    at + ".crf",
                    at
                            + ".crf and bitrateKbps exclude each other: set crf (constant"
                            + " quality) or bitrateKbps (target rate), not both");
        }
        int maxCrf = Codecs.maxCrf(codec);
        if (video.crf() != null && (video.crf() < 0 || video.crf() > maxCrf)) {
            throw new SpecException(
                    at + ".crf",
                    at
                            + ".crf for "
                            + codec
                            + " must be between 0 and "
                            + maxCrf
                            + ", got "
                            + video.crf());
        }
        if (video.bitrateKbps() != null
                && (video.bitrateKbps() < MIN_VIDEO_KBPS || video.bitrateKbps() > MAX_VIDEO_KBPS)) {
            throw new SpecException(
                    at + ".bitrateKbps",
                    at
                            + ".bitrateKbps must be between "
                            + MIN_VIDEO_KBPS
                            + " and "
                            + MAX_VIDEO_KBPS
                            + ", got "
                            + video.bitrateKbps());
        }
        if (video.fps() != null && !(video.fps() >= 1 && video.fps() <= MAX_OUTPUT_FPS)) {
            throw new SpecException(
                    at + ".fps",
                    at
                            + ".fps must be between 1 and "
                            + MAX_OUTPUT_FPS
                            + " (omit it to keep the input's), got "
                            + video.fps());
        }
    }

    private static void checkAudio(String at, String container, AudioOutputSpec audio)
            throws SpecException {
        if (audio == null) {
            return;
        }
        String codec = audio.codec();
        if (codec == null || !Codecs.AUDIO_CODECS.contains(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at + ".codec must be one of " + Codecs.AUDIO_CODECS + ", got " + quoted(codec));
        }
        if (!Codecs.audioCodecs(container).contains(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at
                            + ".codec "
                            + codec
                            + " cannot go in a "
                            + container
                            + " rendition; "
                            + container
                            + " takes "
                            + new TreeSet<>(Codecs.audioCodecs(container)));
        }
        boolean encodes = codec.equals("aac") || codec.equals("opus");
        if (encodes && !Codecs.hasEncoder(codec)) {
            throw new SpecException(
                    at + ".codec",
                    at
                            + ".codec "
                            + codec
                            + " cannot be encoded here: this server's FFmpeg has no "
                            + Codecs.encoder(codec)
                            + " encoder");
        }
        if (audio.bitrateKbps() != null) {
            if (!encodes) {
                throw new SpecException(
                        at + ".bitrateKbps",
                        at + ".bitrateKbps applies to aac and opus only, not to " + codec);
            }
            if (audio.bitrateKbps() < MIN_AUDIO_KBPS || audio.bitrateKbps() > MAX_AUDIO_KBPS) {
                throw new SpecException(
                        at + ".bitrateKbps",
                        at
                                + ".bitrateKbps must be between "
                                + MIN_AUDIO_KBPS
                                + " and "
                                + MAX_AUDIO_KBPS
                                + ", got "
                                + audio.bitrateKbps());
            }
        }
    }

    static void checkThumbnails(ThumbnailSpec thumbnails) throws SpecException {
        if (thumbnails == null) {
            return;
        }
        Double interval = thumbnails.intervalSeconds();
        if (interval != null
                && !(interval >= MIN_INTERVAL_SECONDS && interval <= MAX_INTERVAL_SECONDS)) {
            throw new SpecException(
                    "thumbnails.intervalSeconds",
                    "thumbnails.intervalSeconds must be between "
                            + MIN_INTERVAL_SECONDS
                            + " and "
                            + MAX_INTERVAL_SECONDS
                            + ", got "
                            + interval);
        }
        Integer width = thumbnails.width();
        if (width != null && (width < MIN_TILE_WIDTH || width > MAX_TILE_WIDTH)) {
            throw new SpecException(
                    "thumbnails.width",
                    "thumbnails.width must be between "
                            + MIN_TILE_WIDTH
                            + " and "
                            + MAX_TILE_WIDTH
                            + ", got "
                            + width);
        }
        Integer columns = thumbnails.columns();
        if (columns != null && (columns < 1 || columns > MAX_COLUMNS)) {
            throw new SpecException(
                    "thumbnails.columns",
                    "thumbnails.columns must be between 1 and " + MAX_COLUMNS + ", got " + columns);
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
