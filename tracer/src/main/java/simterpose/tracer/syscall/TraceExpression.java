package simterpose.tracer.syscall;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * strace's {@code -e trace=EXPR} syntax, resolved against {@link SyscallTable}:
 * a comma-separated list of syscall names, numbers, {@code %class} (or the older bare class
 * names {@code file}, {@code network}...), {@code /regex} (matched anywhere in the name),
 * {@code all} and {@code none}; a leading {@code !} negates the whole set; a token prefixed with
 * {@code ?} is ignored if it matches nothing instead of being an error.
 */
public final class TraceExpression {
    private TraceExpression() {}

    /**
     * The syscall numbers the expression selects, in ascending order.
     *
     * @throws IllegalArgumentException naming the first bad token
     */
    public static Set<Integer> parse(String expression) {
        if (expression == null) {
            throw new IllegalArgumentException("missing trace expression");
        }
        String body = expression;
        boolean negate = body.startsWith("!");
        if (negate) {
            body = body.substring(1);
        }
        TreeSet<Integer> selected = new TreeSet<>();
        for (String token : body.split(",", -1)) {
            selected.addAll(resolve(token));
        }
        if (negate) {
            TreeSet<Integer> complement = new TreeSet<>();
            for (Syscall s : SyscallTable.all()) {
                if (!selected.contains(s.number())) {
                    complement.add(s.number());
                }
            }
            selected = complement;
        }
        return Collections.unmodifiableSet(selected);
    }

    private static Set<Integer> resolve(String token) {
        boolean optional = token.startsWith("?");
        String t = optional ? token.substring(1) : token;
        Set<Integer> out = new TreeSet<>();
        if (t.equals("all")) {
            SyscallTable.all().forEach(s -> out.add(s.number()));
            return out;
        }
        if (t.equals("none")) {
            return out;
        }
        if (t.startsWith("/")) {
            Pattern p;
            try {
                p = Pattern.compile(t.substring(1));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + t.substring(1) + "' in trace expression: "
                        + e.getDescription());
            }
            SyscallTable.all().stream().filter(s -> p.matcher(s.name()).find()).forEach(s -> out.add(s.number()));
            if (out.isEmpty() && !optional) {
                throw new IllegalArgumentException("no system call matches regular expression '" + t.substring(1) + "'");
            }
            return out;
        }
        SyscallClass cls = t.startsWith("%") ? SyscallClass.byName(t.substring(1)) : legacyClass(t);
        if (cls != null) {
            SyscallTable.all().stream().filter(s -> s.is(cls)).forEach(s -> out.add(s.number()));
            return out;
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() < 10) {
            int nr = Integer.parseInt(t);
            if (SyscallTable.byNumber(nr).isPresent()) {
                out.add(nr);
                return out;
            }
        }
        SyscallTable.byName(t).ifPresent(s -> out.add(s.number()));
        if (out.isEmpty() && !optional) {
            throw new IllegalArgumentException(t.isEmpty() ? "empty item in trace expression"
                    : "invalid system call '" + t + "'");
        }
        return out;
    }

    /** strace still accepts the class names of its early versions without the %. */
    private static SyscallClass legacyClass(String t) {
        return switch (t) {
            case "file", "process", "network", "signal", "ipc", "desc", "memory" -> SyscallClass.byName(t);
            default -> null;
        };
    }
}
