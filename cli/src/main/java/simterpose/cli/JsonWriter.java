package simterpose.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer: objects and arrays, one member or element per line, indented
 * by two spaces. Strings are escaped per RFC 8259 (quote, backslash, control characters, and
 * unpaired surrogates as {@code \\uXXXX} so the output stays valid UTF-8); non-finite numbers
 * become {@code null}. Misuse (a value where a name is due, unbalanced ends) throws
 * {@link IllegalStateException}. Not thread-safe: one writer per document.
 */
final class JsonWriter {
    private enum Scope { OBJECT, ARRAY }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private boolean empty = true;       // the innermost scope has no member yet
    private boolean nameWritten;        // inside an object, a name awaits its value
    private boolean done;               // the top-level value is complete

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        scopes.push(Scope.OBJECT);
        empty = true;
        return this;
    }

    JsonWriter endObject() {
        return end(Scope.OBJECT, '}');
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        scopes.push(Scope.ARRAY);
        empty = true;
        return this;
    }

    JsonWriter endArray() {
        return end(Scope.ARRAY, ']');
    }

    JsonWriter name(String name) {
        if (scopes.peek() != Scope.OBJECT || nameWritten) {
            throw new IllegalStateException("a name belongs directly inside an object, once per value");
        }
        separate();
        quote(out, name);
        out.append(": ");
        nameWritten = true;
        return this;
    }

    JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        quote(out, value);
        return scalarWritten();
    }

    JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return scalarWritten();
    }

    /** Shortest decimal that reads back as the same double; NaN and infinities as null. */
    JsonWriter value(double value) {
        if (!Double.isFinite(value)) {
            return nullValue();
        }
        beforeValue();
        out.append(Double.toString(value));
        return scalarWritten();
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return scalarWritten();
    }

    JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return scalarWritten();
    }

    /** The document, ending with a newline. */
    String toJson() {
        if (!done) {
            throw new IllegalStateException("the JSON document is not complete");
        }
        return out + "\n";
    }

    private JsonWriter end(Scope scope, char close) {
        if (scopes.peek() != scope || nameWritten) {
            throw new IllegalStateException("unbalanced end of " + scope.name().toLowerCase());
        }
        scopes.pop();
        if (!empty) {
            newline();
        }
        out.append(close);
        empty = false;
        done = scopes.isEmpty();
        return this;
    }

    private void beforeValue() {
        if (done) {
            throw new IllegalStateException("the JSON document already has its top-level value");
        }
        Scope scope = scopes.peek();
        if (scope == Scope.OBJECT) {
            if (!nameWritten) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            nameWritten = false;
            empty = false;
        } else if (scope == Scope.ARRAY) {
            separate();
        }
    }

    /** A scalar at the top level is a complete document. */
    private JsonWriter scalarWritten() {
        done = scopes.isEmpty();
        return this;
    }

    private void separate() {
        if (!empty) {
            out.append(',');
        }
        newline();
        empty = false;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(scopes.size()));
    }

    /**
     * Appends {@code s} as a JSON string (RFC 8259 escapes, unpaired surrogates as
     * {@code \\uXXXX}): the one JSON string writer of the CLI, also used for one-line outputs.
     */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(out, c); // unpaired: UTF-8 cannot carry it raw
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append(String.format("\\u%04x", (int) c));
    }
}
