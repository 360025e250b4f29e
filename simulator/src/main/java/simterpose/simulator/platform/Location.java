package simterpose.simulator.platform;

/**
 * Where an element sits in its file (1-based line and column; 0 when unknown).
 *
 * @param file   the file name as the user gave it
 * @param line   line of the element's start tag
 * @param column column just past the element's start tag
 */
public record Location(String file, int line, int column) {
    /** A {@link PlatformException} at this place. */
    public PlatformException error(String problem) {
        return new PlatformException(file, line, column, problem);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
