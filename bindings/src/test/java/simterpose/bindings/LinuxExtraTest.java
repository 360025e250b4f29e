package simterpose.bindings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written constants of {@link LinuxExtra} against what gcc reads in the kernel headers. */
class LinuxExtraTest {
    @Test
    void handWrittenConstantsEqualTheKernelHeaders(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("extra.c");
        Files.writeString(c, """
                #define _GNU_SOURCE
                #include <sched.h>
                #include <poll.h>
                #include <sys/prctl.h>
                #include <sys/ioctl.h>
                #include <net/if.h>
                #include <linux/if_tun.h>
                #include <stdio.h>
                int main(void) {
                  printf("CLONE_NEWNET %lld\\nTUNSETIFF %lld\\nIFF_TUN %lld\\nIFF_NO_PI %lld\\nIFNAMSIZ %lld\\n",
                         (long long)CLONE_NEWNET, (long long)TUNSETIFF, (long long)IFF_TUN, (long long)IFF_NO_PI,
                         (long long)IFNAMSIZ);
                  printf("PR_SET_TIMERSLACK %lld\\nPOLLIN %lld\\nSCHED_FIFO %lld\\nIFREQ %lld\\nIFR_FLAGS %lld\\n",
                         (long long)PR_SET_TIMERSLACK, (long long)POLLIN, (long long)SCHED_FIFO,
                         (long long)sizeof(struct ifreq), (long long)__builtin_offsetof(struct ifreq, ifr_flags));
                  return 0;
                }
                """);
        Path bin = dir.resolve("extra");
        assertThat(new ProcessBuilder("cc", "-o", bin.toString(), c.toString()).inheritIO().start().waitFor()).isZero();
        Process p = new ProcessBuilder(bin.toString()).start();
        Map<String, Long> v = new HashMap<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            String[] kv = line.split(" ");
            v.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(v).containsEntry("CLONE_NEWNET", (long) LinuxExtra.CLONE_NEWNET)
                .containsEntry("TUNSETIFF", LinuxExtra.TUNSETIFF)
                .containsEntry("IFF_TUN", (long) LinuxExtra.IFF_TUN)
                .containsEntry("IFF_NO_PI", (long) LinuxExtra.IFF_NO_PI)
                .containsEntry("IFNAMSIZ", (long) LinuxExtra.IFNAMSIZ)
                .containsEntry("PR_SET_TIMERSLACK", (long) LinuxExtra.PR_SET_TIMERSLACK)
                .containsEntry("POLLIN", (long) LinuxExtra.POLLIN)
                .containsEntry("SCHED_FIFO", (long) LinuxExtra.SCHED_FIFO)
                .containsEntry("IFREQ", 40L)
                .containsEntry("IFR_FLAGS", (long) LinuxExtra.IFNAMSIZ);
    }
}
