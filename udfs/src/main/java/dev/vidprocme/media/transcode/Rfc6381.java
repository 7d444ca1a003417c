package dev.vidprocme.media.transcode;

/**
 * The RFC 6381 {@code CODECS} names HLS players match against, read from a stream's own codec
 * configuration rather than assumed: {@code avc1.PPCCLL}, {@code hvc1.<space><profile>.<compat>.
 * <tier><level>.<constraints>}, {@code mp4a.40.<object type>}.
 */
public final class Rfc6381 {
    private Rfc6381() {}

    /** The name for {@code stream}; throws for codecs HLS here does not carry. */
    public static String of(MediaStreams.Stream stream) {
        byte[] config = stream.extradata();
        return switch (stream.codec()) {
            case "h264" -> avc(config);
            case "hevc" -> hevc(config);
            case "aac" -> aac(config);
            default ->
                    throw new IllegalArgumentException("no HLS CODECS name for " + stream.codec());
        };
    }

    /** From an avcC record (version 1, then profile, constraint flags, level) or an SPS. */
    static String avc(byte[] config) {
        int at = -1;
        if (config.length >= 4 && config[0] == 1) {
            at = 1;
        } else {
            // Annex B: the byte after an SPS NAL header (type 7) is profile_idc.
            for (int i = 0; i + 3 < config.length; i++) {
                if (config[i] == 0
                        && config[i + 1] == 0
                        && config[i + 2] == 1
                        && (config[i + 3] & 0x1f) == 7) {
                    at = i + 4;
                    break;
                }
            }
        }
        if (at < 0 || at + 3 > config.length) {
            throw new IllegalArgumentException("no H.264 configuration to name the codec from");
        }
        return String.format(
                "avc1.%02x%02x%02x",
                config[at] & 0xff, config[at + 1] & 0xff, config[at + 2] & 0xff);
    }

    /** From an hvcC record (ISO/IEC 14496-15 8.3.3.1). */
    static String hevc(byte[] c) {
        if (c.length < 13 || c[0] != 1) {
            throw new IllegalArgumentException(
                    "no HEVC configuration record to name the codec from");
        }
        int space = (c[1] >> 6) & 3;
        boolean highTier = (c[1] & 0x20) != 0;
        int profile = c[1] & 0x1f;
        long compat =
                ((c[2] & 0xffL) << 24)
                        | ((c[3] & 0xffL) << 16)
                        | ((c[4] & 0xffL) << 8)
                        | (c[5] & 0xffL);
        // The compatibility flags are written in reverse bit order (RFC 6381 via ISO/IEC 14496-15
        // E.3).
        long reversed = Long.reverse(compat) >>> 32;
        StringBuilder name = new StringBuilder("hvc1.");
        if (space > 0) {
            name.append((char) ('A' + space - 1));
        }
        name.append(profile).append('.').append(Long.toHexString(reversed).toUpperCase());
        name.append('.').append(highTier ? 'H' : 'L').append(c[12] & 0xff);
        int last = 11;
        while (last >= 6 && c[last] == 0) {
            last--;
        }
        for (int i = 6; i <= last; i++) {
            name.append('.').append(String.format("%X", c[i] & 0xff));
        }
        return name.toString();
    }

    /** From an AudioSpecificConfig: the audio object type (2 for AAC-LC). */
    static String aac(byte[] config) {
        if (config.length < 1) {
            return "mp4a.40.2";
        }
        int type = (config[0] & 0xff) >> 3;
        if (type == 31 && config.length >= 2) {
            type = 32 + (((config[0] & 0x07) << 3) | ((config[1] & 0xff) >> 5));
        }
        return "mp4a.40." + type;
    }
}
