package dev.vidprocme.media.scene;

import dev.vidprocme.media.SyntheticClips;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a 25 fps H.264 clip with known transitions from FFmpeg's generated sources, for the scene
 * tests and the benchmark: hard cuts at {@link #CUTS}, a fade to black and in again ending at
 * {@link #FADE_IN}, a cross-dissolve centred on {@link #DISSOLVE}. x264's own scene-cut keyframes
 * are off and keyframes are placed at {@link #KEYFRAMES} instead, so with one-second segments a cut
 * falls one frame after a segment start (75), exactly on one (225) and inside one (275).
 */
public final class SceneClips {
    public static final int FPS = 25;

    /** Source frame numbers of the hard cuts (first frame of the new shot). */
    public static final List<Long> CUTS = List.of(75L, 225L, 275L);

    /** First frame of the fade-in from black (the black begins about ten frames earlier). */
    public static final long FADE_IN = 150;

    /** Middle of the 0.8 s cross-dissolve (frames 305 to 325). */
    public static final long DISSOLVE = 315;

    /** Where the keyframes are, in seconds (frames 0, 37, 74, 125, 175, 225, 255, 300, 337). */
    public static final String KEYFRAMES = "0,1.48,2.96,5,7,9,10.2,12,13.48";

    /** Frames in the clip. */
    public static final long FRAMES = 380;

    private SceneClips() {}

    public static Path transitions(Path out, int width, int height) throws IOException {
        String size = "size=" + width + "x" + height + ":rate=" + FPS;
        String same = "format=yuv420p,setsar=1,fps=" + FPS + ",settb=1/" + FPS;
        String graph =
                "[0:v]"
                        + same
                        + "[a];[1:v]"
                        + same
                        + ",fade=t=out:st=2:d=0.6[b];[2:v]"
                        + same
                        + ",fade=t=in:st=0:d=0.6[c];[3:v]"
                        + same
                        + "[d];[4:v]"
                        + same
                        + "[e];[5:v]"
                        + same
                        + "[f];[a][b][c][d][e]concat=n=5,"
                        + same
                        + "[ae];[ae][f]xfade=transition=fade:duration=0.8:offset=12.2,"
                        + same;
        return SyntheticClips.run(
                out,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=" + size + ":duration=3",
                        "-f",
                        "lavfi",
                        "-i",
                        "mandelbrot=" + size + ",trim=duration=3",
                        "-f",
                        "lavfi",
                        "-i",
                        "smptebars=" + size + ":duration=3",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=" + size + ":duration=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "rgbtestsrc=" + size + ":duration=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "life=" + size + ":mold=10:ratio=0.5,trim=duration=3",
                        "-filter_complex",
                        graph,
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        "1000",
                        "-sc_threshold",
                        "0",
                        "-force_key_frames",
                        KEYFRAMES));
    }
}
