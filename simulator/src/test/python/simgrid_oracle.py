#!/usr/bin/python3
"""SimGrid 3.32 oracle for simterpose's differential tests and benchmark.

Reads a JSON job on stdin:
  {"platform": "file.xml", "cfg": ["network/model:CM02", ...],
   "activities": [{"kind": "flow", "src": "h1", "dst": "h2", "bytes": 1000, "start": 0.5},
                  {"kind": "exec", "host": "h1", "flops": 1e9, "start": 0.0}, ...]}
and prints one line per activity, in input order: the finish time (repr, full precision).
With --time it prints the wall time of engine.run() on stderr.

Each activity gets its own actor that sleeps until the start time, then starts the flow
(Comm.sendto_async, host to host without mailboxes) or the execution (on the actor's host)
and records Engine.clock when it completes. Must run under Debian's /usr/bin/python3.
"""
import json
import sys
import time

import simgrid


def main():
    job = json.load(sys.stdin)
    args = ["oracle"] + ["--cfg=" + c for c in job.get("cfg", [])] + ["--log=root.thres:critical"]
    engine = simgrid.Engine(args)
    engine.load_platform(job["platform"])
    acts = job["activities"]
    finish = [None] * len(acts)
    # Actors live on the first host unless they run an exec (exec_async uses the actor's host).
    first_host = engine.all_hosts[0]

    def runner(index, act):
        def body():
            if act["start"] > 0:
                simgrid.this_actor.sleep_until(act["start"])
            if act["kind"] == "flow":
                comm = simgrid.Comm.sendto_async(engine.host_by_name(act["src"]), engine.host_by_name(act["dst"]),
                                                 int(act["bytes"]))
                comm.wait()
            else:
                simgrid.this_actor.exec_async(float(act["flops"])).wait()
            finish[index] = simgrid.Engine.clock
        return body

    for i, act in enumerate(acts):
        host = engine.host_by_name(act["host"]) if act["kind"] == "exec" else first_host
        simgrid.Actor.create("a%d" % i, host, runner(i, act))
    t0 = time.perf_counter()
    engine.run()
    wall = time.perf_counter() - t0
    out = sys.stdout
    for f in finish:
        out.write(repr(f) + "\n")
    if "--time" in sys.argv:
        sys.stderr.write("simgrid-wall-seconds %f\n" % wall)


if __name__ == "__main__":
    main()
