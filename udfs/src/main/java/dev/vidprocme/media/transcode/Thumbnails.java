package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.records.ThumbnailSpec;
import dev.vidprocme.records.VideoInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * A poster frame and scrubbing sprites: JPEG sheets of tiles taken every {@code intervalSeconds},
 * and a WebVTT index whose cue for each interval points at its tile ({@code
 * sprite.jpg#xywh=x,y,w,h}).
 */
public final class Thumbnails {
    public static final double DEFAULT_INTERVAL_SECONDS = 2;
    public static final int DEFAULT_WIDTH = 160;
    public static final int DEFAULT_COLUMNS = 10;

    /** Rows per sheet, so a long video's sprites stay loadable images (10x10 tiles of 160 px). */
    public static final int MAX_ROWS = 10;

    public static final String POSTER = "poster.jpg";
    public static final String VTT = "sprites.vtt";
    public static final int POSTER_MAX_WIDTH = 1280;

    /** Mean luma (0..255) below which a candidate poster counts as black. */
    static final double DARK = 24;

    private Thumbnails() {}

    /**
     * What was written: the poster, the sprite sheets in order, the WebVTT index, and the tile
     * geometry.
     */
    public record Result(
            Path poster,
            List<Path> sprites,
            Path vtt,
            int tileWidth,
            int tileHeight,
            int columns,
            int rows,
            int tiles) {}

    /** Makes the poster, sprites and index of {@code input} in {@code dir}. */
    public static Result make(
            Path input, VideoInfo video, ThumbnailSpec spec, Path dir, BooleanSupplier stop)
            throws TranscodeException {
        double interval =
                spec == null || spec.intervalSeconds() == null
                        ? DEFAULT_INTERVAL_SECONDS
                        : spec.intervalSeconds();
        int width = spec == null || spec.width() == null ? DEFAULT_WIDTH : spec.width();
        int columns = spec == null || spec.columns() == null ? DEFAULT_COLUMNS : spec.columns();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TranscodeException("cannot create " + dir, e);
        }
        Path poster = poster(input, video, dir, stop);

        long durationUs = video.durationMs() * 1000;
        long intervalUs = Math.round(interval * 1_000_000);
        int tiles = (int) Math.max(1, (durationUs + intervalUs - 1) / intervalUs);
        int tileWidth = Math.max(2, width & ~1);
        int tileHeight =
                Math.max(
                        2,
                        (int)
                                        Math.round(
                                                (double) tileWidth
                                                        * video.displayHeight()
                                                        / video.displayWidth()
                                                        / 2)
                                * 2);
        int cols = Math.min(columns, tiles);
        int rows = Math.min(MAX_ROWS, (tiles + cols - 1) / cols);
        int perSheet = cols * rows;
        int sheets = (tiles + perSheet - 1) / perSheet;
        String seconds = String.format(Locale.ROOT, "%.6f", interval);
        // One tile per interval: the first frame at or after each tick, so tile k shows what plays
        // at k * interval; the count is capped so the last sheet is not padded with extra ticks.
        String filter =
                "setpts=PTS-STARTPTS,select='gte(t\\,"
                        + seconds
                        + "*selected_n)*lt(selected_n\\,"
                        + tiles
                        + ")',scale="
                        + tileWidth
                        + ":"
                        + tileHeight
                        + ",setsar=1,tile="
                        + cols
                        + "x"
                        + rows;
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
        args.addAll(List.of("-i", "file:" + input.toAbsolutePath(), "-an", "-sn", "-dn"));
        args.addAll(List.of("-vf", filter, "-fps_mode", "passthrough", "-q:v", "4"));
        args.addAll(List.of("-frames:v", String.valueOf(sheets), "-start_number", "1"));
        args.add(dir.toAbsolutePath().resolve("sprite-%d.jpg").toString());
        FfmpegRun.ffmpeg(args, null, stop, "making sprites");

        List<Path> sprites = new ArrayList<>();
        for (int i = 1; i <= sheets; i++) {
            Path sheet = dir.resolve("sprite-" + i + ".jpg");
            if (!Files.isRegularFile(sheet)) {
                throw new TranscodeException("ffmpeg wrote no sprite sheet " + sheet.getFileName());
            }
            sprites.add(sheet);
        }
        if (sheets == 1) {
            Path single = dir.resolve("sprite.jpg");
            try {
                Files.move(sprites.get(0), single, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new TranscodeException("cannot rename the sprite sheet", e);
            }
            sprites.set(0, single);
        }
        Path vtt = dir.resolve(VTT);
        writeVtt(vtt, sprites, tiles, intervalUs, durationUs, tileWidth, tileHeight, cols, rows);
        return new Result(poster, sprites, vtt, tileWidth, tileHeight, cols, rows, tiles);
    }

    private static void writeVtt(
            Path vtt,
            List<Path> sprites,
            int tiles,
            long intervalUs,
            long durationUs,
            int w,
            int h,
            int cols,
            int rows)
            throws TranscodeException {
        StringBuilder text = new StringBuilder("WEBVTT\n");
        for (int k = 0; k < tiles; k++) {
            int sheet = k / (cols * rows);
            int inSheet = k % (cols * rows);
            long start = k * intervalUs;
            long end = Math.min(durationUs, start + intervalUs);
            text.append('\n')
                    .append(timestamp(start))
                    .append(" --> ")
                    .append(timestamp(end))
                    .append('\n')
                    .append(sprites.get(sheet).getFileName())
                    .append("#xywh=")
                    .append((inSheet % cols) * w)
                    .append(',')
                    .append((inSheet / cols) * h)
                    .append(',')
                    .append(w)
                    .append(',')
                    .append(h)
                    .append('\n');
        }
        try {
            Files.writeString(vtt, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TranscodeException("cannot write " + vtt, e);
        }
    }

    static String timestamp(long us) {
        long ms = us / 1000;
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d.%03d",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000);
    }

    /**
     * The most representative frame (FFmpeg's {@code thumbnail} filter over a second of frames) at
     * 10%, 30%, 50% or 70% of the video, whichever first is not black; the brightest if all are.
     */
    private static Path poster(Path input, VideoInfo video, Path dir, BooleanSupplier stop)
            throws TranscodeException {
        Path poster = dir.resolve(POSTER);
        Path candidate = dir.resolve("poster-candidate.jpg");
        double best = -1;
        int batch = Math.max(2, (int) Math.round(video.fps() > 0 ? video.fps() : 25));
        for (double at : new double[] {0.1, 0.3, 0.5, 0.7}) {
            long seekUs = Math.round(video.durationMs() * 1000 * at);
            List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
            args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
            args.addAll(List.of("-ss", RenditionPlan.seconds(seekUs)));
            args.addAll(List.of("-i", "file:" + input.toAbsolutePath(), "-an", "-sn", "-dn"));
            args.addAll(
                    List.of(
                            "-vf",
                            "thumbnail=" + batch + ",scale='min(" + POSTER_MAX_WIDTH + ",iw)':-2",
                            "-frames:v",
                            "1",
                            "-q:v",
                            "3",
                            "-update",
                            "1"));
            args.add(candidate.toAbsolutePath().toString());
            FfmpegRun.ffmpeg(args, null, stop, "making the poster");
            double luma = meanLuma(candidate);
            if (luma > best) {
                best = luma;
                move(candidate, poster);
            }
            if (luma >= DARK) {
                break;
            }
        }
        try {
            Files.deleteIfExists(candidate);
        } catch (IOException e) {
            throw new TranscodeException("cannot remove " + candidate, e);
        }
        return poster;
    }

    static double meanLuma(Path jpeg) throws TranscodeException {
        BufferedImage image;
        try {
            image = ImageIO.read(jpeg.toFile());
        } catch (IOException e) {
            throw new TranscodeException("cannot read " + jpeg, e);
        }
        if (image == null) {
            throw new TranscodeException(jpeg.getFileName() + " is not a readable JPEG");
        }
        long sum = 0;
        int step = Math.max(1, Math.min(image.getWidth(), image.getHeight()) / 64);
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += step) {
            for (int x = 0; x < image.getWidth(); x += step) {
                int rgb = image.getRGB(x, y);
                sum +=
                        (299 * ((rgb >> 16) & 0xff)
                                        + 587 * ((rgb >> 8) & 0xff)
                                        + 114 * (rgb & 0xff))
                                / 1000;
                n++;
            }
        }
        return n == 0 ? 0 : (double) sum / n;
    }

    private static void move(Path from, Path to) throws TranscodeException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TranscodeException("cannot write " + to, e);
        }
    }
}
