package simterpose.cli;

import picocli.CommandLine.Command;

/** Placeholder until the platform command lands; replaced wholesale by its owner. */
@Command(name = "platform", description = "(not yet available)")
final class PlatformCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'platform' is not available in this build yet");
    }
}
