# Two threads: the main one busy-waits on a flag (no sleep, no lock) that the other sets after
# sleeping SECONDS (argv[1], default 0.5). Prints how long the wait took by time.monotonic().
import sys
import threading
import time

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
flag = False


def setter():
    global flag
    time.sleep(seconds)
    flag = True


start = time.monotonic()
threading.Thread(target=setter).start()
spins = 0
while not flag:
    spins += 1
print(f"waited {time.monotonic() - start:.6f}", flush=True)
