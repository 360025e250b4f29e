package simterpose.simulator.model;

import java.util.Arrays;

/**
 * Indexed binary min-heap of actions by date; ties go to the older action so that the order of
 * completions is deterministic.
 */
final class ActionHeap {
    private Action[] heap = new Action[64];
    private int size;

    boolean isEmpty() { return size == 0; }

    Action top() { return heap[0]; }

    double topDate() { return heap[0].heapDate; }

    void update(Action a, double date, Action.HeapType type) {
        a.heapType = type;
        if (a.heapIndex >= 0) {
            double old = a.heapDate;
            a.heapDate = date;
            if (less(date, a.sequence, old, a.sequence)) {
                up(a.heapIndex);
            } else {
                down(a.heapIndex);
            }
            return;
        }
        a.heapDate = date;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = a;
        a.heapIndex = size;
        size++;
        up(size - 1);
    }

    void remove(Action a) {
        int i = a.heapIndex;
        if (i < 0) {
            return;
        }
        size--;
        Action last = heap[size];
        heap[size] = null;
        a.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            up(i);
            down(last.heapIndex);
        }
    }

    Action pop() {
        Action a = heap[0];
        remove(a);
        return a;
    }

    private static boolean less(double d1, long s1, double d2, long s2) {
        return d1 < d2 || (d1 == d2 && s1 < s2);
    }

    private boolean less(int i, int j) {
        return less(heap[i].heapDate, heap[i].sequence, heap[j].heapDate, heap[j].sequence);
    }

    private void swap(int i, int j) {
        Action t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
        heap[i].heapIndex = i;
        heap[j].heapIndex = j;
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int m = l + 1 < size && less(l + 1, l) ? l + 1 : l;
            if (!less(m, i)) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }
}
