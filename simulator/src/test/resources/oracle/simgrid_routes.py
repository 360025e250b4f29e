# Prints SimGrid's route between every pair of hosts of a platform, one line per pair:
#   SRC DST LINK...
# Run with Debian's /usr/bin/python3 (python3-simgrid). The engine is run once so that zones
# are sealed (sealing adds the network model's __loopback__ routes).
import sys
import simgrid

engine = simgrid.Engine(["oracle", "--log=root.thres:critical"])
engine.load_platform(sys.argv[1])
engine.run()
hosts = engine.all_hosts
for src in hosts:
    for dst in hosts:
        links, latency = src.route_to(dst)
        print(src.name, dst.name, " ".join(link.name for link in links))
