package simterpose.cli;

import picocli.CommandLine.Command;

/** Placeholder until the trace command lands; replaced wholesale by its owner. */
@Command(name = "trace", description = "(not yet available)")
final class TraceCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'trace' is not available in this build yet");
    }
}
