package simterpose.tracer.syscall;

/** strace's quoting of bytes read from a tracee: C escapes, octal for other bytes, {@code ...} when cut. */
final class Quote {
    private Quote() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Quotes {@code length} bytes of {@code b}; appends {@code ...} after the closing quote when
     * {@code truncated}. With {@code forceHex} every byte is written {@code \xNN} (strace does so
     * for random bytes).
     */
    static String bytes(byte[] b, int length, boolean truncated, boolean forceHex) {
        StringBuilder sb = new StringBuilder(length + 8).append('"');
        for (int i = 0; i < length; i++) {
            int c = b[i] & 0xff;
            if (forceHex) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 15]);
                continue;
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case 0x0b -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        // Shortest octal form, unless the next byte is an octal digit that
                        // would then be read as part of the escape.
                        boolean nextIsOctal = i + 1 < length && b[i + 1] >= '0' && b[i + 1] <= '7';
                        String oct = Integer.toOctalString(c);
                        sb.append('\\');
                        if (nextIsOctal) {
                            sb.append("000", oct.length(), 3);
                        }
                        sb.append(oct);
                    }
                }
            }
        }
        sb.append('"');
        if (truncated) {
            sb.append("...");
        }
        return sb.toString();
    }

    static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    static String ptr(long v) {
        return v == 0 ? "NULL" : "0x" + Long.toHexString(v);
    }

    /** A mode as strace prints it: octal with a leading 0, at least three digits ({@code %#03o}). */
    static String octal(long mode) {
        String s = mode == 0 ? "0" : "0" + Long.toOctalString(mode);
        return s.length() >= 3 ? s : "000".substring(s.length()) + s;
    }
}
