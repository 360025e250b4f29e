package simterpose.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import simterpose.simulator.mediation.inputs.RecordingInputs;
import simterpose.simulator.mediation.inputs.ReplayingInputs;
import simterpose.simulator.mediation.inputs.RunInputs;

/** {@code run --record=DIR} / {@code run --replay=DIR}: where the run's real-world inputs come from and go. */
final class RunInputsOption {
    /** Exit status of a replay whose run asked for other inputs than were recorded. */
    static final int DIVERGED = 3;

    private RunInputsOption() {}

    /** Live inputs, or a recording into / replay from the directory given (a bad one: UserError, exit 2). */
    static RunInputs open(Path recordDir, Path replayDir) {
        try {
            if (recordDir != null) {
                return new RecordingInputs(recordDir);
            }
            if (replayDir != null) {
                return new ReplayingInputs(replayDir);
            }
            return RunInputs.live();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(e.getFile() + ": no such file (expected a directory written by run --record)");
        } catch (IOException e) {
            throw new UserError((recordDir != null ? "--record=" + recordDir : "--replay=" + replayDir) + ": "
                    + e.getMessage());
        }
    }

    static void close(RunInputs inputs, Path recordDir) {
        if (inputs instanceof ReplayingInputs r) {
            r.finish();
        }
        try {
            inputs.close();
        } catch (IOException e) {
            throw new UserError("--record=" + recordDir + ": cannot finish the recording (" + e.getMessage() + ")");
        }
    }

    static Optional<String> divergence(RunInputs inputs) {
        return inputs.divergence();
    }
}
