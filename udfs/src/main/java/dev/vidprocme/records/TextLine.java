package dev.vidprocme.records;

import java.util.Arrays;

/**
 * One line of on-screen text read from a frame.
 *
 * @param text the text as read
 * @param confidence the recogniser's mean per-character probability, 0..1
 * @param box the line's four corners in the frame's pixels, clockwise from top-left: {@code x1, y1,
 *     x2, y2, x3, y3, x4, y4}
 */
public record TextLine(String text, double confidence, int[] box) {
    public TextLine {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (box == null || box.length != 8) {
            throw new IllegalArgumentException(
                    "box must hold 8 coordinates (4 corners), got "
                            + (box == null ? "null" : box.length));
        }
        box = box.clone();
    }

    @Override
    public int[] box() {
        return box.clone();
    }

    /** The smallest x of the four corners. */
    public int minX() {
        return Math.min(Math.min(box[0], box[2]), Math.min(box[4], box[6]));
    }

    /** The smallest y of the four corners. */
    public int minY() {
        return Math.min(Math.min(box[1], box[3]), Math.min(box[5], box[7]));
    }

    /** The largest x of the four corners. */
    public int maxX() {
        return Math.max(Math.max(box[0], box[2]), Math.max(box[4], box[6]));
    }

    /** The largest y of the four corners. */
    public int maxY() {
        return Math.max(Math.max(box[1], box[3]), Math.max(box[5], box[7]));
    }

    // A record compares arrays by identity; lines are values, so compare the corners.
    @Override
    public boolean equals(Object o) {
        return o instanceof TextLine other
                && text.equals(other.text)
                && Double.compare(confidence, other.confidence) == 0
                && Arrays.equals(box, other.box);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * text.hashCode() + Double.hashCode(confidence)) + Arrays.hashCode(box);
    }

    @Override
    public String toString() {
        return "TextLine[text="
                + text
                + ", confidence="
                + confidence
                + ", box="
                + Arrays.toString(box)
                + "]";
    }
}
