package dev.vidprocme.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vidprocme.records.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputSpecRulesTest {
    private static final String GOOD =
            "{\"name\": \"480p\", \"container\": \"mp4\", \"video\": {\"codec\": \"h264\","
                    + " \"height\": 480, \"crf\": 23}, \"audio\": {\"codec\": \"aac\"}}";

    @Test
    void acceptsTheIssuesExampleAndEveryContainer() throws SpecException {
        JobSpec spec =
                JobSpecParser.parse(
                        "{\"outputs\": ["
                                + GOOD
                                + ", {\"name\": \"web\", \"container\": \"webm\", \"video\":"
                                + " {\"codec\": \"vp9\", \"bitrateKbps\": 800}},"
                                + " {\"name\": \"hls_720\", \"container\": \"hls\", \"video\":"
                                + " {\"codec\": \"hevc\", \"height\": 720, \"fps\": 30},"
                                + " \"audio\": {\"codec\": \"copy\"}}],"
                                + " \"thumbnails\": {\"intervalSeconds\": 5, \"width\": 120,"
                                + " \"columns\": 8}}");

        assertThat(spec.outputs()).hasSize(3);
        assertThat(spec.outputs().get(0).video().crf()).isEqualTo(23);
        assertThat(spec.thumbnails().columns()).isEqualTo(8);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'name':'a','container':'mkv','video':{'codec':'h264'}}"
                        + "|outputs[1].container|must be one of [mp4, webm, hls], got 'mkv'",
                "{'name':'a','container':'webm','video':{'codec':'h264'}}"
                        + "|outputs[1].video.codec|h264 cannot go in a webm rendition; webm takes"
                        + " [av1, vp9]",
                "{'name':'a','container':'hls','video':{'codec':'vp9'}}"
                        + "|outputs[1].video.codec|hls takes [h264, hevc]",
                "{'name':'a','container':'mp4','video':{'codec':'mpeg2'}}"
                        + "|outputs[1].video.codec|must be one of [h264, hevc, vp9, av1]",
                "{'name':'a','container':'webm','video':{'codec':'vp9'},'audio':{'codec':'aac'}}"
                        + "|outputs[1].audio.codec|webm takes [none, opus]",
                "{'name':'a','container':'hls','video':{'codec':'h264'},'audio':{'codec':'opus'}}"
                        + "|outputs[1].audio.codec|hls takes [aac, copy, none]",
                "{'name':'a','container':'mp4','video':{'codec':'h264','crf':20,'bitrateKbps':900}}"
                        + "|outputs[1].video.crf|not both",
                "{'name':'a','container':'mp4','video':{'codec':'h264','crf':52}}"
                        + "|outputs[1].video.crf|for h264 must be between 0 and 51, got 52",
                "{'name':'a','container':'webm','video':{'codec':'vp9','crf':64}}"
                        + "|outputs[1].video.crf|for vp9 must be between 0 and 63, got 64",
                "{'name':'a','container':'mp4','video':{'codec':'h264','height':481}}"
                        + "|outputs[1].video.height|even number of pixels between 32 and 4320",
                "{'name':'a','container':'mp4','video':{'codec':'h264','bitrateKbps':10}}"
                        + "|outputs[1].video.bitrateKbps|between 50 and 100000, got 10",
                "{'name':'a','container':'mp4','video':{'codec':'h264','fps':0}}"
                        + "|outputs[1].video.fps|between 1 and 120.0",
                "{'name':'a','container':'mp4','video':{'codec':'h264'},"
                        + "'audio':{'codec':'copy','bitrateKbps':128}}"
                        + "|outputs[1].audio.bitrateKbps|aac and opus only, not to copy",
                "{'name':'../x','container':'mp4','video':{'codec':'h264'}}"
                        + "|outputs[1].name|letters, digits, '-' or '_'",
                "{'name':'480P','container':'mp4','video':{'codec':'h264'}}"
                        + "|outputs[1].name|'480P' is already used by another rendition",
                "{'name':'a','container':'mp4'}|outputs[1].video|every rendition has a video"
                        + " stream",
            })
    void rejectsABadSecondRenditionNamingTheField(String second, String field, String reason) {
        String json = "{\"outputs\": [" + GOOD + ", " + second.replace('\'', '"') + "]}";

        SpecException e =
                catchThrowableOfType(SpecException.class, () -> JobSpecParser.parse(json));

        assertThat(e).as("spec %s", json).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field).contains(reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'intervalSeconds':0}|thumbnails.intervalSeconds",
                "{'width':4000}|thumbnails.width",
                "{'columns':0}|thumbnails.columns"
            })
    void rejectsBadThumbnailSettings(String thumbnails, String field) {
        String json = "{\"thumbnails\": " + thumbnails.replace('\'', '"') + "}";

        SpecException e =
                catchThrowableOfType(SpecException.class, () -> JobSpecParser.parse(json));

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field + " must be between");
    }
}
