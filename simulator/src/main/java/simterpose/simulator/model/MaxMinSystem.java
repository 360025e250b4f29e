package simterpose.simulator.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Weighted max-min fair sharing over linear constraints: SimGrid's LMM "maxmin" solver.
 *
 * <h2>The problem</h2>
 * Variables {@code x_i ≥ 0} (rates) with a sharing penalty {@code p_i > 0} and an optional
 * bound {@code b_i} ({@code ≤ 0} means none); constraints {@code C_j} (resources) with a
 * capacity {@code B_j}; an element {@code (i, j, w_ij)} says that {@code x_i} consumes
 * {@code w_ij · x_i} of {@code C_j}.
 * <ul>
 * <li>SHARED constraint: {@code Σ_i w_ij · x_i ≤ B_j};</li>
 * <li>FATPIPE constraint: {@code max_i w_ij · x_i ≤ B_j};</li>
 * <li>bounds: {@code x_i ≤ b_i} when {@code b_i > 0}.</li>
 * </ul>
 * The solution is the weighted max-min fair one: maximise the smallest {@code p_i · x_i}, fix
 * the variables that reach a bottleneck (a saturated constraint or their own bound), then
 * repeat with the others. At each round every constraint offers the "fair level"
 * {@code remaining_j / Σ_i (w_ij / p_i)} (max instead of Σ for FATPIPE); the smallest level
 * {@code m} saturates its constraints and each of their variables gets {@code m / p_i}, unless
 * some variable's {@code b_i · p_i} is below {@code m}: then only the variables with the
 * smallest {@code b_i · p_i} are fixed, at their bound. A variable whose penalty is 0 is
 * disabled (it takes no share: a flow still paying its latency).
 *
 * <h2>Precision (SimGrid's rules, kept exactly)</h2>
 * With {@code ε = maxmin/precision} (default 1e-5): a constraint takes part only if its
 * remaining capacity is {@code > B_j · ε}; subtracting from the remaining capacity snaps it to
 * 0 once it falls below {@code B_j · ε}, and the usage snaps to 0 once below {@code ε}; two
 * {@code b_i · p_i} levels are equal when they differ by less than {@code ε}. Fair levels are
 * compared exactly. (The models round remains with {@code ε × surf/precision} and dates with
 * {@code surf/precision}; this class has no notion of time.)
 *
 * <h2>Selective update</h2>
 * Only the constraints changed since the last {@link #solve} and everything connected to them
 * through enabled variables are re-solved; other variables keep their values. {@link #solve}
 * reports the variables it recomputed, so callers re-date only those.
 *
 * <p>Threading: not thread-safe; one owner (the simulation engine's thread) calls everything.
 *
 * @param <T> what a variable stands for (an action of a model)
 */
public final class MaxMinSystem<T> {

    /** A resource with a capacity. */
    public static final class Constraint {
        private final String name;
        private final boolean fatpipe;
        private double bound;
        // Elements of enabled variables (penalty > 0); order is irrelevant to the result.
        private final ArrayList<Element> enabled = new ArrayList<>();
        private double remaining;
        private double usage;
        private int light = -1;   // index in the heap of constraints still to saturate, -1 if none
        private double ratio;     // remaining / usage: the fair level this constraint offers
        private boolean dead;     // saturated during the current round, still in the heap until it settles
        private boolean pending;  // its heap entry must be settled before the next minimum is read
        private boolean modified;

        private Constraint(String name, double bound, boolean fatpipe) {
            this.name = name;
            this.bound = bound;
            this.fatpipe = fatpipe;
        }

        public String name() { return name; }

        public double bound() { return bound; }

        public boolean fatpipe() { return fatpipe; }

        /** Sum (SHARED) or max (FATPIPE) of {@code w · x} over enabled variables: the load. */
        public double load() {
            double load = 0;
            for (Element e : enabled) {
                double used = e.weight * e.variable.value;
                load = fatpipe ? Math.max(load, used) : load + used;
            }
            return load;
        }

        @Override
        public String toString() { return name; }
    }

    /** A share to compute. */
    public static final class Variable<T> {
        private final T owner;
        private double penalty;
        private double bound;
        private double value;
        private final ArrayList<Element> elements = new ArrayList<>(4);
        private long visited = -1;
        private boolean saturating;
        private boolean reported;
        private boolean freed;
        private long fixedInSolve = -1;

        private Variable(T owner, double penalty, double bound) {
            this.owner = owner;
            this.penalty = penalty;
            this.bound = bound;
        }

        public T owner() { return owner; }

        /** The share computed by the last {@link MaxMinSystem#solve()}. */
        public double value() { return value; }

        public double penalty() { return penalty; }

        public double bound() { return bound; }

        public int constraintCount() { return elements.size(); }
    }

    private static final class Element {
        final Constraint constraint;
        final Variable<?> variable;
        double weight;
        int enabledIndex = -1;

        Element(Constraint constraint, Variable<?> variable, double weight) {
            this.constraint = constraint;
            this.variable = variable;
            this.weight = weight;
        }
    }

    private final double precision;
    private final ArrayDeque<Constraint> markTodo = new ArrayDeque<>();
    private final ArrayList<Constraint> modifiedConstraints = new ArrayList<>();
    private final ArrayList<Variable<T>> recomputed = new ArrayList<>();
    private boolean changed;
    private long visitedCounter;

    // Solve scratch space, reused across calls.
    // Constraints still to saturate, as a min-heap on their fair level. SimGrid scans a flat
    // table for the minimum at every round; a heap finds the same set (every constraint whose
    // level equals the minimum exactly) in O(log n), which is what makes large systems fast.
    private Constraint[] light = new Constraint[16];
    private double[] keys = new double[16]; // keys[i] == light[i].ratio, kept flat for the cache
    private int lightCount;
    private final ArrayDeque<Variable<?>> saturatedVariables = new ArrayDeque<>();
    private Constraint[] saturatedConstraints = new Constraint[16];
    private int saturatedCount;
    private double minUsage;
    private int[] walk = new int[16];
    private Constraint[] pendingList = new Constraint[16];
    private int pendingCount;
    private long solveCount;

    /** @param precision maxmin/precision (SimGrid default 1e-5) */
    public MaxMinSystem(double precision) {
        this.precision = precision;
    }

    public double precision() { return precision; }

    public Constraint newConstraint(String name, double bound, boolean fatpipe) {
        return new Constraint(name, bound, fatpipe);
    }

    /** A new variable; a penalty of 0 creates it disabled. */
    public Variable<T> newVariable(T owner, double penalty, double bound) {
        changed = true;
        return new Variable<>(owner, penalty, bound);
    }

    /**
     * Makes {@code variable} consume {@code weight} of {@code constraint}. A second expansion on
     * the same constraint adds to the weight (SHARED) or keeps the larger one (FATPIPE).
     */
    public void expand(Constraint constraint, Variable<T> variable, double weight) {
        changed = true;
        Element element = null;
        for (Element e : variable.elements) {
            if (e.constraint == constraint) {
                element = e;
                break;
            }
        }
        if (element != null) {
            element.weight = constraint.fatpipe ? Math.max(element.weight, weight) : element.weight + weight;
        } else {
            element = new Element(constraint, variable, weight);
            variable.elements.add(element);
            if (variable.penalty != 0) {
                addEnabled(element);
            }
        }
        if (element.weight > 0 || variable.penalty > 0) {
            markModified(constraint);
        }
    }

    /** Sets the penalty; 0 disables the variable, a positive value (re-)enables it. */
    public void updatePenalty(Variable<T> variable, double penalty) {
        if (penalty < 0) {
            throw new IllegalArgumentException("negative penalty " + penalty);
        }
        if (penalty == variable.penalty) {
            return;
        }
        changed = true;
        boolean enabling = penalty > 0 && variable.penalty <= 0;
        boolean disabling = penalty <= 0 && variable.penalty > 0;
        if (enabling) {
            variable.penalty = penalty;
            for (Element e : variable.elements) {
                addEnabled(e);
            }
            markModifiedFrom(variable);
        } else if (disabling) {
            markModifiedFrom(variable);
            detach(variable);
            variable.penalty = 0;
            variable.value = 0;
        } else {
            variable.penalty = penalty;
            markModifiedFrom(variable);
        }
    }

    public void updateBound(Variable<T> variable, double bound) {
        changed = true;
        variable.bound = bound;
        for (Element e : variable.elements) {
            markModified(e.constraint);
        }
    }

    public void updateBound(Constraint constraint, double bound) {
        changed = true;
        markModified(constraint);
        constraint.bound = bound;
    }

    /** Removes the variable; the constraints it used are re-solved. */
    public void free(Variable<T> variable) {
        if (variable.freed) {
            return;
        }
        variable.freed = true;
        changed = true;
        markModifiedFrom(variable);
        detach(variable);
        variable.value = 0;
        variable.elements.clear();
    }

    /**
     * Recomputes the shares of what changed since the last call and returns the variables
     * whose value was recomputed (valid until the next call).
     */
    public List<Variable<T>> solve() {
        recomputed.clear();
        if (!changed) {
            return recomputed;
        }
        changed = false;
        maxMin(modifiedConstraints);
        for (Constraint c : modifiedConstraints) {
            for (Element e : c.enabled) {
                if (e.weight > 0 && !e.variable.reported) {
                    @SuppressWarnings("unchecked")
                    Variable<T> v = (Variable<T>) e.variable;
                    v.reported = true;
                    recomputed.add(v);
                }
            }
            c.modified = false;
        }
        for (Variable<T> v : recomputed) {
            v.reported = false;
        }
        modifiedConstraints.clear();
        visitedCounter++;
        return recomputed;
    }

    // ---- modified-set bookkeeping ----

    private void addEnabled(Element e) {
        e.enabledIndex = e.constraint.enabled.size();
        e.constraint.enabled.add(e);
    }

    private void detach(Variable<?> variable) {
        for (Element e : variable.elements) {
            removeFrom(e.constraint.enabled, e);
        }
    }

    private static void removeFrom(ArrayList<Element> list, Element e) {
        int index = e.enabledIndex;
        if (index < 0) {
            return;
        }
        Element last = list.removeLast();
        if (last != e) {
            list.set(index, last);
            last.enabledIndex = index;
        }
        e.enabledIndex = -1;
    }

    private void markModifiedFrom(Variable<?> variable) {
        if (variable.elements.isEmpty() || variable.penalty <= 0) {
            return;
        }
        markModified(variable.elements.getFirst().constraint);
    }

    /** Adds the constraint and everything connected to it through enabled variables. */
    private void markModified(Constraint start) {
        if (start.modified) {
            return;
        }
        start.modified = true;
        modifiedConstraints.add(start);
        ArrayDeque<Constraint> todo = markTodo;
        todo.push(start);
        while (!todo.isEmpty()) {
            Constraint c = todo.pop();
            for (Element e : c.enabled) {
                Variable<?> v = e.variable;
                if (v.visited == visitedCounter) {
                    continue;
                }
                v.visited = visitedCounter;
                for (Element e2 : v.elements) {
                    if (!e2.constraint.modified) {
                        e2.constraint.modified = true;
                        modifiedConstraints.add(e2.constraint);
                        todo.push(e2.constraint);
                    }
                }
            }
        }
    }

    // ---- the solver ----

    private static boolean positive(double value, double precision) {
        return value > precision;
    }

    private void maxMin(List<Constraint> constraints) {
        solveCount++;
        int n = constraints.size();
        if (light.length < n) {
            light = new Constraint[n];
            keys = new double[n];
            saturatedConstraints = new Constraint[n];
        }
        lightCount = 0;
        saturatedCount = 0;
        minUsage = -1;
        for (Constraint c : constraints) {
            c.light = -1;
        }
        for (Constraint c : constraints) {
            c.remaining = c.bound;
            if (!positive(c.remaining, c.bound * precision)) {
                continue;
            }
            c.usage = 0;
            for (Element e : c.enabled) {
                e.variable.value = 0;
                if (e.weight > 0) {
                    double u = e.weight / e.variable.penalty;
                    if (!c.fatpipe) {
                        c.usage += u;
                    } else if (c.usage < u) {
                        c.usage = u;
                    }
                }
            }
            if (c.usage > 0) {
                light[lightCount] = c;
                c.light = lightCount;
                c.ratio = c.remaining / c.usage;
                keys[lightCount] = c.ratio;
                lightCount++;
            }
        }
        for (int i = lightCount / 2 - 1; i >= 0; i--) {
            down(i);
        }
        findSaturated();
        saturatedVariablesUpdate();

        do {
            double minBound = -1;
            for (Variable<?> v : saturatedVariables) {
                double level = v.bound * v.penalty;
                if (v.bound > 0 && level < minUsage) {
                    minBound = minBound < 0 ? level : Math.min(minBound, level);
                }
            }
            while (!saturatedVariables.isEmpty()) {
                Variable<?> v = saturatedVariables.pollFirst();
                v.saturating = false;
                if (minBound < 0) {
                    v.value = minUsage / v.penalty;
                } else if (Math.abs(minBound - v.bound * v.penalty) < precision) {
                    v.value = v.bound;
                } else {
                    continue; // fixed in a later round
                }
                v.fixedInSolve = solveCount;
                for (Element e : v.elements) {
                    Constraint c = e.constraint;
                    if (!c.fatpipe) {
                        c.remaining -= e.weight * v.value;
                        if (c.remaining < c.bound * precision) {
                            c.remaining = 0;
                        }
                        c.usage -= e.weight / v.penalty;
                        if (c.usage < precision) {
                            c.usage = 0;
                        }
                    } else {
                        c.usage = 0;
                        for (Element e2 : c.enabled) {
                            if (e2.variable.value > 0) {
                                continue;
                            }
                            if (e2.weight > 0) {
                                c.usage = Math.max(c.usage, e2.weight / e2.variable.penalty);
                            }
                        }
                    }
                    if (!positive(c.usage, precision) || !positive(c.remaining, c.bound * precision)) {
                        if (c.light >= 0 && !c.dead) {
                            c.dead = true;
                            markPending(c);
                        }
                    } else if (c.light >= 0 && !c.dead) {
                        c.ratio = c.remaining / c.usage;
                        markPending(c);
                    }
                }
            }
            settleHeap();
            findSaturated();
            saturatedVariablesUpdate();
            // SimGrid asserts here; rounding left a constraint with no variable to fix.
        } while (lightCount > 0 && !saturatedVariables.isEmpty());
    }

    /** minUsage = smallest fair level; saturatedConstraints = every constraint at exactly that level. */
    private void findSaturated() {
        saturatedCount = 0;
        minUsage = -1;
        if (lightCount == 0) {
            return;
        }
        minUsage = keys[0];
        // Equal keys form a subtree at the root of a min-heap: walk it.
        if (walk.length < lightCount) {
            walk = new int[lightCount];
        }
        int[] stack = walk;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int i = stack[--top];
            saturatedConstraints[saturatedCount++] = light[i];
            for (int child = 2 * i + 1; child <= 2 * i + 2 && child < lightCount; child++) {
                if (keys[child] == minUsage) {
                    stack[top++] = child;
                }
            }
        }
    }

    private void markPending(Constraint c) {
        if (!c.pending) {
            c.pending = true;
            if (pendingCount == pendingList.length) {
                pendingList = java.util.Arrays.copyOf(pendingList, pendingCount * 2);
            }
            pendingList[pendingCount++] = c;
        }
    }

    /**
     * Applies the round's removals and level changes to the heap: one by one when they are few,
     * by rebuilding it in O(n) when they are many (often every flow is fixed in one round).
     */
    private void settleHeap() {
        if (pendingCount == 0) {
            return;
        }
        if ((long) pendingCount * 8 > lightCount) {
            int n = 0;
            for (int i = 0; i < lightCount; i++) {
                Constraint c = light[i];
                if (c.dead) {
                    c.light = -1;
                    continue;
                }
                light[n] = c;
                keys[n] = c.ratio;
                c.light = n;
                n++;
            }
            java.util.Arrays.fill(light, n, lightCount, null);
            lightCount = n;
            for (int i = lightCount / 2 - 1; i >= 0; i--) {
                down(i);
            }
        } else {
            for (int k = 0; k < pendingCount; k++) {
                Constraint c = pendingList[k];
                if (c.dead) {
                    heapRemove(c);
                } else {
                    keys[c.light] = c.ratio;
                    up(c.light);
                    down(c.light);
                }
            }
        }
        for (int k = 0; k < pendingCount; k++) {
            pendingList[k].pending = false;
            pendingList[k].dead = false;
            pendingList[k] = null;
        }
        pendingCount = 0;
    }

    private void heapRemove(Constraint c) {
        int i = c.light;
        lightCount--;
        Constraint last = light[lightCount];
        light[lightCount] = null;
        c.light = -1;
        if (i != lightCount) {
            light[i] = last;
            keys[i] = last.ratio;
            last.light = i;
            up(i);
            down(last.light);
        }
    }

    private void up(int i) {
        Constraint c = light[i];
        double key = c.ratio;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            light[i] = light[parent];
            keys[i] = keys[parent];
            light[i].light = i;
            i = parent;
        }
        light[i] = c;
        keys[i] = key;
        c.light = i;
    }

    private void down(int i) {
        Constraint c = light[i];
        double key = c.ratio;
        while (true) {
            int child = 2 * i + 1;
            if (child >= lightCount) {
                break;
            }
            if (child + 1 < lightCount && keys[child + 1] < keys[child]) {
                child++;
            }
            if (keys[child] >= key) {
                break;
            }
            light[i] = light[child];
            keys[i] = keys[child];
            light[i].light = i;
            i = child;
        }
        light[i] = c;
        keys[i] = key;
        c.light = i;
    }

    private void saturatedVariablesUpdate() {
        for (int i = 0; i < saturatedCount; i++) {
            Constraint c = saturatedConstraints[i];
            // SimGrid keeps an "active" list per constraint; skipping variables fixed in this
            // solve (stamped) selects the same ones without maintaining it.
            for (Element e : c.enabled) {
                if (e.weight > 0 && !e.variable.saturating && e.variable.fixedInSolve != solveCount) {
                    e.variable.saturating = true;
                    saturatedVariables.addLast(e.variable);
                }
            }
        }
    }
}
