package dev.vidprocme.records;

/**
 * One rendition to transcode.
 *
 * @param name unique within the job; names the output objects
 * @param container {@code mp4}, {@code webm} or {@code hls}
 * @param video the video encoding; null copies nothing but is rejected (every rendition has video)
 * @param audio the audio encoding; null for {@code aac} where the container takes it
 */
public record OutputSpec(
        String name, String container, VideoOutputSpec video, AudioOutputSpec audio) {}
