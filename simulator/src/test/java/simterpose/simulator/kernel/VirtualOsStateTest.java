package simterpose.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static simterpose.bindings.Errno.EEXIST;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOENT;
import static simterpose.simulator.kernel.EpollInstance.EPOLLET;
import static simterpose.simulator.kernel.EpollInstance.EPOLLEXCLUSIVE;
import static simterpose.simulator.kernel.EpollInstance.EPOLLONESHOT;
import static simterpose.simulator.kernel.EpollInstance.EPOLL_CTL_ADD;
import static simterpose.simulator.kernel.EpollInstance.EPOLL_CTL_MOD;
import static simterpose.simulator.kernel.LinuxNet.POLLIN;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.support.TestPlatform;

/**
 * The virtual OS's process state, without a tracee: interval and POSIX timers, futex waiters,
 * epoll interest lists, the rule of which pending signal interrupts a wait.
 */
class VirtualOsStateTest {
    private final TestPlatform platform = new TestPlatform();
    {
        platform.host("a", 1e9, 1);
    }
    private final Simulation sim = new Simulation(platform, ModelConfig.from(Map.of("network/model", "CM02")));

    @Test
    void aPeriodicIntervalTimerExpiresAtItsDatesUntilDisarmedAndSaysWhatIsLeft() {
        List<Double> expiries = new ArrayList<>();
        IntervalTimer timer = new IntervalTimer(() -> expiries.add(sim.now()));
        timer.arm(sim, 1.5, 0.5);
        assertThat(timer.remaining(0)).isEqualTo(1.5);
        sim.at(2.7, () -> {
            assertThat(timer.remaining(sim.now())).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-9));
            timer.disarm();
        });
        sim.run();
        assertThat(expiries).containsExactly(1.5, 2.0, 2.5);
        assertThat(timer.remaining(sim.now())).isZero();
        assertThat(timer.interval()).isEqualTo(0.5);
    }

    @Test
    void posixTimersTakeTheLowestFreeIdAboveTheKernelsAndADeletedTimerNeverFires() {
        PosixTimers timers = new PosixTimers();
        List<Integer> fired = new ArrayList<>();
        int first = timers.freeId();
        PosixTimers.Timer a = timers.create(first, 1, 14, 0, 0, 7, t -> fired.add(t.id));
        PosixTimers.Timer b = timers.create(timers.freeId(), 1, 14, 0, 0, 8, t -> fired.add(t.id));
        assertThat(first).isEqualTo(PosixTimers.FIRST_ID);
        assertThat(b.id).isEqualTo(PosixTimers.FIRST_ID + 1);
        a.timer.arm(sim, 1, 0);
        b.timer.arm(sim, 2, 0);
        assertThat(timers.delete(b.id)).isSameAs(b);
        assertThat(timers.holds(b)).isFalse();
        assertThat(timers.freeId()).isEqualTo(PosixTimers.FIRST_ID + 1);
        sim.run();
        assertThat(fired).containsExactly(first);
        assertThat(sim.now()).isEqualTo(1.0);
    }

    /** A waiting thread for the futex table (compared by identity, as traced threads are): its word lives in {@code memory}. */
    private static final class Thread implements FutexTable.Sleeper {
        final Map<Long, Integer> memory;
        boolean alive = true;

        Thread(Map<Long, Integer> memory) {
            this.memory = memory;
        }

        @Override
        public boolean waiting() {
            return alive;
        }

        @Override
        public int readWord(long address, int fallback) {
            return memory.getOrDefault(address, fallback);
        }
    }

    @Test
    void futexWakesTakeWaitersInWaitingOrderWithMatchingBitsetsAndRequeueMovesTheRest() {
        FutexTable table = new FutexTable();
        Object process = new Object();
        Map<Long, Integer> memory = new HashMap<>();
        FutexTable.Key key = new FutexTable.Key(process, 0x1000);
        FutexTable.Key other = new FutexTable.Key(process, 0x2000);
        List<Thread> threads = List.of(new Thread(memory), new Thread(memory), new Thread(memory), new Thread(memory));
        int[] bitsets = {1, 2, -1, -1};
        for (int i = 0; i < threads.size(); i++) {
            table.add(new FutexTable.Waiter(threads.get(i), process, threads.get(i), threads.get(i), key, 0x1000, bitsets[i], 0));
        }
        assertThat(table.wake(key, 2, 1)).isEqualTo(1); // t2: the first whose bitset meets 2
        assertThat(table.waiterOf(threads.get(1)).woken()).isTrue();
        assertThat(table.waiterOf(threads.get(0)).woken()).isFalse();
        threads.get(2).alive = false; // t3 was killed: dropped, not counted
        assertThat(table.requeue(key, other, 0x2000, 5)).isEqualTo(2); // t1 and t4
        assertThat(table.has(key)).isFalse();
        assertThat(table.wake(other, -1, 5)).isEqualTo(2);
        assertThat(table.anyShared()).isFalse();
    }

    @Test
    void aThreadExitWakesTheWaitersOfItsProcessWhoseWordChanged() {
        FutexTable table = new FutexTable();
        Object process = new Object(), elsewhere = new Object();
        Map<Long, Integer> memory = new HashMap<>(Map.of(0x10L, 42, 0x20L, 42));
        Thread joiner = new Thread(memory), unrelated = new Thread(memory), other = new Thread(memory);
        table.add(new FutexTable.Waiter(joiner, process, joiner, joiner, new FutexTable.Key(process, 0x10), 0x10, -1, 42));
        table.add(new FutexTable.Waiter(unrelated, process, unrelated, unrelated, new FutexTable.Key(process, 0x20), 0x20, -1, 42));
        table.add(new FutexTable.Waiter(other, elsewhere, other, other, new FutexTable.Key(elsewhere, 0x10), 0x10, -1, 42));
        memory.put(0x10L, 0); // the kernel cleared the exiting thread's clear_child_tid word
        table.threadEnded(process);
        assertThat(table.waiterOf(joiner).woken()).isTrue();
        assertThat(table.waiterOf(unrelated).woken()).isFalse();
        assertThat(table.waiterOf(other).woken()).as("another process").isFalse();
    }

    @Test
    void epollReportsLevelTriggeredEntriesInTurnEdgeTriggeredOncePerWakeUpAndOneShotOnce() {
        FdTable fds = new FdTable();
        List<TimerFd> files = new ArrayList<>();
        for (int fd = 3; fd <= 6; fd++) {
            TimerFd t = new TimerFd(sim, 1);
            t.arm(1_000_000, 0, false);
            fds.install(fd, new OpenFile(t, 0), false);
            files.add(t);
        }
        EpollInstance ep = new EpollInstance();
        assertThat(ep.control(EPOLL_CTL_ADD, 3, POLLIN, 3).value()).isZero();
        assertThat(ep.control(EPOLL_CTL_ADD, 4, POLLIN, 4).value()).isZero();
        assertThat(ep.control(EPOLL_CTL_ADD, 5, POLLIN | EPOLLET, 5).value()).isZero();
        assertThat(ep.control(EPOLL_CTL_ADD, 6, POLLIN | EPOLLONESHOT, 6).value()).isZero();
        assertThat(errno(ep.control(EPOLL_CTL_ADD, 3, POLLIN, 3))).isEqualTo(EEXIST);
        assertThat(errno(ep.control(EPOLL_CTL_MOD, 9, POLLIN, 9))).isEqualTo(ENOENT);
        assertThat(errno(ep.control(EPOLL_CTL_ADD, 7, POLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 7))).isEqualTo(EINVAL);
        List<Signal> queues = new ArrayList<>();
        assertThat(ep.ready(fds, 10, queues)).isEmpty(); // nothing expired yet
        assertThat(queues).hasSize(4);
        sim.run(); // every timer expires: readable
        assertThat(data(ep.ready(fds, 1, new ArrayList<>()))).containsExactly(3L);
        assertThat(data(ep.ready(fds, 10, new ArrayList<>()))).containsExactly(4L, 5L, 6L, 3L);
        assertThat(data(ep.ready(fds, 10, new ArrayList<>()))).as("ET and ONESHOT report once")
                .containsExactly(4L, 3L);
        assertThat(ep.control(EPOLL_CTL_MOD, 6, POLLIN | EPOLLONESHOT, 60).value()).isZero(); // re-armed
        fds.close(4);
        assertThat(data(ep.ready(fds, 10, new ArrayList<>()))).as("a closed fd leaves the list; MOD keeps the place")
                .containsExactly(60L, 3L);
    }

    private static int errno(SysResult<Integer> r) {
        return ((SysResult.Errno<Integer>) r).errno();
    }

    private static List<Long> data(List<EpollInstance.Event> events) {
        return events.stream().map(EpollInstance.Event::data).toList();
    }

    @Test
    void aPendingSignalInterruptsAWaitWhenCaughtOrFatalButNotWhenBlockedIgnoredOrIgnoredByDefault() {
        long term = SignalMasks.bits(15), chld = SignalMasks.bits(17), kill = SignalMasks.bits(9);
        assertThat(new SignalMasks(term, 0, 0, 0).interrupt(-1)).as("fatal by default").isTrue();
        assertThat(new SignalMasks(term, term, 0, 0).interrupt(-1)).as("blocked").isFalse();
        assertThat(new SignalMasks(term, term, 0, 0).interrupt(0)).as("unblocked by the call's mask").isTrue();
        assertThat(new SignalMasks(term, 0, term, 0).interrupt(-1)).as("ignored").isFalse();
        assertThat(new SignalMasks(chld, 0, 0, 0).interrupt(-1)).as("ignored by default").isFalse();
        assertThat(new SignalMasks(chld, 0, 0, chld).interrupt(-1)).as("caught").isTrue();
        assertThat(new SignalMasks(kill, kill, 0, 0).interrupt(-1)).as("SIGKILL cannot be blocked").isTrue();
        assertThat(new SignalMasks(0, 0, 0, -1L).interrupt(-1)).as("nothing pending").isFalse();
    }
}
