package dev.vidprocme.local;

import java.io.PrintStream;

/**
 * A one-line progress bar for a terminal; without one (CI logs, pipes) it prints a plain line
 * whenever the state changes, so logs stay readable.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String lastState = "";

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void update(String status, double progress, long frames, long elapsedMs) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String line =
                String.format(
                        "[%s] %3d%%  %-9s %6d frames  %5.1fs",
                        bar, Math.round(progress * 100), status, frames, elapsedMs / 1000.0);
        String state = status + "/" + Math.round(progress * 100) + "/" + frames;
        if (terminal) {
            out.print("\r" + line);
            out.flush();
        } else if (!state.equals(lastState)) {
            out.println(line);
        }
        lastState = state;
    }

    void finish() {
        if (terminal) {
            out.println();
        }
    }
}
