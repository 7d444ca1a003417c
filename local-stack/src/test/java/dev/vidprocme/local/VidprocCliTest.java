package dev.vidprocme.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage errors and an unreachable stack, which need no running services. */
class VidprocCliTest {
    // Nothing listens on port 1 on a test machine, so connecting is refused at once.
    private static final String[] NOWHERE = {"--api", "http://127.0.0.1:1", "--token", "t"};

    @Test
    void searchWithoutAQueryIsAUsageError() {
        Run run = cli("search", "--semantic");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out())
                .contains("search takes one QUERY")
                .contains("vidproc search QUERY [--semantic]");
    }

    @Test
    void scenesAndOutputsTakeOneJobId() {
        assertThat(cli("scenes").out()).contains("scenes takes one job ID");
        assertThat(cli("outputs", "a", "b").code()).isEqualTo(2);
    }

    @Test
    void semanticIsASwitchThatTakesNoValue() {
        VidprocCli.Args parsed =
                VidprocCli.Args.parse(
                        new String[] {"search", "--semantic", "red car", "--job", "j1"});

        assertThat(parsed.positional()).containsExactly("red car");
        assertThat(parsed.has("--semantic")).isTrue();
        assertThat(parsed.flag("--job")).isEqualTo("j1");
    }

    @Test
    void limitOutOfRangeNamesWhatIsAccepted() {
        Run run = cli("search", "cat", "--limit", "0", "--token", "t");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).contains("--limit must be an integer 1..200, got '0'");
    }

    @Test
    void newCommandsSayWhenTheStackIsNotRunning() {
        for (String[] command :
                new String[][] {{"scenes", "j1"}, {"search", "cat"}, {"outputs", "j1"}}) {
            Run run = cli(concat(command, NOWHERE));

            assertThat(run.code()).as(run.out()).isEqualTo(1);
            assertThat(run.out()).contains("cannot reach the ingest API at http://127.0.0.1:1");
        }
    }

    private record Run(int code, String out) {}

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int code = new VidprocCli(print).exitCode(args, print);
        return new Run(code, output.toString(StandardCharsets.UTF_8));
    }
}
