package dev.vidprocme.media.transcode;

/**
 * One unit of transcoding work: the input frames whose presentation time (microseconds from the
 * first frame) lies in {@code [startUs, endUs)}, encoded for rendition {@code rendition}. Parts of
 * a rendition tile the input without gaps or overlaps; each becomes a closed-GOP file that {@link
 * Joiner} concatenates without re-encoding.
 *
 * @param index 0-based position in the rendition
 * @param count how many parts the rendition has
 */
public record Part(String rendition, int index, int count, long startUs, long endUs) {
    public Part {
        if (index < 0 || index >= count || endUs <= startUs) {
            throw new IllegalArgumentException(
                    "bad part " + index + "/" + count + " [" + startUs + ", " + endUs + ")");
        }
    }

    public boolean first() {
        return index == 0;
    }

    public boolean last() {
        return index == count - 1;
    }

    public long spanUs() {
        return endUs - startUs;
    }

    /** File name of the encoded part; sortable, and safe for the concat demuxer's safe mode. */
    public String fileName() {
        return String.format("part-%05d.mp4", index);
    }
}
