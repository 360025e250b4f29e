package simterpose.simulator.platform;

/**
 * Malformed or inconsistent platform/deployment input, located in its file:
 * {@code file:line:column: what was expected}. Line and column are 0 when unknown.
 */
public final class PlatformException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public PlatformException(String file, int line, int column, String problem) {
        super(format(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** An error that is not tied to a place in a file (e.g. a route asked between unknown hosts). */
    public PlatformException(String problem) {
        this(null, 0, 0, problem);
    }

    private static String format(String file, int line, int column, String problem) {
        if (file == null) {
            return problem;
        }
        return line > 0 ? file + ":" + line + ":" + column + ": " + problem : file + ": " + problem;
    }

    public String file() { return file; }

    public int line() { return line; }

    public int column() { return column; }

    public String problem() { return problem; }
}
