package simterpose.cli;

import picocli.CommandLine.Command;

/** Placeholder until the predict command lands; replaced wholesale by its owner. */
@Command(name = "predict", description = "(not yet available)")
final class PredictCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'predict' is not available in this build yet");
    }
}
