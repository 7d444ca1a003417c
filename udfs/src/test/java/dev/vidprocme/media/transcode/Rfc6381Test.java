package dev.vidprocme.media.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Rfc6381Test {
    @Test
    void namesAvcFromItsConfigurationRecord() {
        // avcC written by libx264: High profile (0x64), no constraints, level 1.2 (0x0c).
        byte[] avcc =
                StreamProbe.hexdump(
                        "\n00000000: 0164 000c ffe1 0019 6764 000c acd9 43c6  .d......gd....C.\n");
        assertThat(Rfc6381.avc(avcc)).isEqualTo("avc1.64000c");
    }

    @Test
    void namesAvcFromAnAnnexBSequenceParameterSet() {
        byte[] annexB = {0, 0, 0, 1, 0x67, 0x42, (byte) 0xc0, 0x1e, 0x11};
        assertThat(Rfc6381.avc(annexB)).isEqualTo("avc1.42c01e");
    }

    @Test
    void namesHevcWithReversedCompatibilityFlagsAndTrimmedConstraints() {
        // Main profile, main tier, level 3.1 (93), compatible with profiles 1 and 2, progressive
        // and frame-only constraint flags (0xB0): RFC 6381's own example form hvc1.1.6.L93.B0.
        byte[] hvcc = new byte[23];
        hvcc[0] = 1;
        hvcc[1] = 0x01;
        hvcc[2] = 0x60;
        hvcc[6] = (byte) 0xb0;
        hvcc[12] = 93;
        assertThat(Rfc6381.hevc(hvcc)).isEqualTo("hvc1.1.6.L93.B0");
    }

    @Test
    void namesAacByItsAudioObjectType() {
        assertThat(Rfc6381.aac(new byte[] {0x12, 0x10})).isEqualTo("mp4a.40.2");
        assertThat(Rfc6381.aac(new byte[] {0x2b, (byte) 0x92})).isEqualTo("mp4a.40.5");
    }
}
