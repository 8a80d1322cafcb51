#!/usr/bin/env python3
"""The endpoint under a storm of scrapers while the application records at full speed.

it/legacy-app's busy threads (`io.metricsagent.legacy.busy.BusyMain 8`: eight threads calling
three metered methods as fast as they can) run under the agent. The script measures their calls
per second for a quiet spell, then again while N scrapers (200 by default) fetch /metrics back to
back for S seconds (60 by default), then once more after; and it reads the JVM's Java threads
and live heap (`jcmd GC.class_histogram`, after a full collection) before the storm (after a few
scrapes, so that both of the endpoint's threads exist) and 90 s after it (or at the times given).
It prints the scrapes' latencies (p50, p99, max), how many were answered and how many were turned
away (the endpoint's two threads and queue of 16 close what they cannot take), and the throughput
against the quiet spells.

Run from the repository root after `mvn -B -DskipTests package`:
  python3 it/bench/scrape_storm.py [--scrapers 200] [--seconds 60] [--java PATH]
      [--settle-seconds 90,300] [--keep DIR]
--keep DIR writes each reading's class histogram and heap dump there (histogram-before.txt,
heap-90.hprof, ...), for it/bench/hprof_holders.py, and the application's stderr (stderr.txt).
"""
import argparse, glob, http.client, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time
from jvm_readings import java_threads, jcmd, live_heap_kib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
RULES = """metrics:
  - class: io.metricsagent.legacy.busy.Work
    method: stable
    name: busy_stable
  - class: io.metricsagent.legacy.busy.Work
    method: toggled
    name: busy_toggled
  - class: io.metricsagent.legacy.busy.Work
    method: relabeled
    name: busy_relabeled
    labels: {kind: 'args[0]'}
"""
SERVING = re.compile(r"serving metrics on http://([\d.]+):(\d+)/metrics")
COUNT = re.compile(r"count calls=(\d+) nanos=(\d+)")


class Busy:
    def __init__(self, java, legacy_jar, config, err_path):
        self.err = open(err_path, "w")
        self.proc = subprocess.Popen(
            [java, f"-javaagent:{AGENT}=config={config},port=0,host=127.0.0.1,host_metrics=false",
             "-cp", legacy_jar, "io.metricsagent.legacy.busy.BusyMain", "8"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the busy app did not start")

    def count(self):
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        match = COUNT.match(self.proc.stdout.readline().strip())
        return int(match.group(1)), int(match.group(2))

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.err.close()


def rate(before, after):
    return (after[0] - before[0]) / ((after[1] - before[1]) / 1e9)


def heap_kib(java, pid, keep, when):
    """The live heap; with --keep, its class histogram and a heap dump saved in that directory too."""
    heap = live_heap_kib(java, pid, os.path.join(keep, f"histogram-{when}.txt") if keep else None)
    if keep:
        jcmd(java, pid, f"GC.heap_dump {os.path.join(keep, f'heap-{when}.hprof')}")
    return heap


def scraper(host, port, until, latencies, failures):
    while time.time() < until:
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(host, port, timeout=30)
            connection.request("GET", "/metrics")
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status == 200 and body:
                latencies.append(time.perf_counter() - start)
            else:
                failures.append(response.status)
        except OSError as e:
            failures.append(type(e).__name__)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scrapers", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--quiet-seconds", type=int, default=20)
    parser.add_argument("--settle-seconds", default="90",
                        help="when after the storm the heap and threads are read again, seconds, comma-separated"
                             " (the endpoint's idle threads and connections time out after 60 s)")
    parser.add_argument("--keep", help="a directory for each reading's class histogram and heap dump, and the stderr")
    parser.add_argument("--java", default=shutil.which("java"))
    args = parser.parse_args()
    settle = sorted(int(s) for s in args.settle_seconds.split(","))
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    jars = glob.glob(os.path.join(ROOT, "it", "legacy-app", "target", "legacy-app*.jar"))
    if not os.path.exists(AGENT) or not jars:
        raise SystemExit("run mvn -B -DskipTests package first")
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "busy.yml")
        with open(config, "w") as f:
            f.write(RULES)
        err_path = os.path.join(work, "stderr")
        busy = Busy(args.java, jars[0], config, err_path)
        try:
            deadline = time.time() + 30
            match = None
            while match is None and time.time() < deadline:
                time.sleep(0.2)
                match = SERVING.search(open(err_path).read())
            host, port = match.group(1), int(match.group(2))
            # Both of the endpoint's threads made (it starts one), so that the count before is theirs.
            warm = [threading.Thread(target=scraper, args=(host, port, time.time() + 3, [], []), daemon=True)
                    for _ in range(4)]
            for thread in warm:
                thread.start()
            for thread in warm:
                thread.join()
            time.sleep(2)
            heap_before = heap_kib(args.java, busy.proc.pid, args.keep, "before")
            threads_before = java_threads(args.java, busy.proc.pid)
            quiet_start = busy.count()
            time.sleep(args.quiet_seconds)
            quiet_end = busy.count()
            latencies, failures = [], []
            until = time.time() + args.seconds
            storm = [threading.Thread(target=scraper, args=(host, port, until, latencies, failures), daemon=True)
                     for _ in range(args.scrapers)]
            for thread in storm:
                thread.start()
            for thread in storm:
                thread.join()
            storm_end = busy.count()
            storm_ended = time.time()
            time.sleep(args.quiet_seconds)
            after_end = busy.count()
            readings = []
            for seconds in settle:
                time.sleep(max(0.0, storm_ended + seconds - time.time()))
                readings.append((seconds, heap_kib(args.java, busy.proc.pid, args.keep, seconds),
                                 java_threads(args.java, busy.proc.pid)))
            latencies.sort()
            print(f"{args.java}: {args.scrapers} scrapers for {args.seconds} s, 8 threads recording; cpu: {os.cpu_count()} cores")
            if latencies:
                print(f"  scrapes answered {len(latencies)}, turned away {len(failures)}"
                      f" ({', '.join(sorted(set(map(str, failures)))) or 'none'}); latency p50 "
                      f"{statistics.median(latencies) * 1e3:.1f} ms, p99 {latencies[int(len(latencies) * 0.99)] * 1e3:.1f} ms,"
                      f" max {latencies[-1] * 1e3:.1f} ms")
            else:
                print(f"  no scrape answered; {len(failures)} turned away: {sorted(set(map(str, failures)))}")
            print(f"  calls/s: {rate(quiet_start, quiet_end) / 1e6:.1f} M before, {rate(quiet_end, storm_end) / 1e6:.1f} M"
                  f" during the storm, {rate(storm_end, after_end) / 1e6:.1f} M after")
            for seconds, heap_after, threads_after in readings:
                print(f"  {seconds} s after: live heap {heap_before} -> {heap_after} KiB; Java threads"
                      f" {len(threads_before)} -> {len(threads_after)}"
                      + ("" if threads_before == threads_after else f" (before {threads_before}, after {threads_after})"))
            err = open(err_path).read().splitlines()
            lines = [l for l in err if l.startswith("[metrics-agent]")]
            print("  agent lines:", *lines, sep="\n    ")
            print(f"  other lines on the application's stderr: {len(err) - len(lines)}")
            if args.keep:
                shutil.copy(err_path, os.path.join(args.keep, "stderr.txt"))
        finally:
            busy.close()


if __name__ == "__main__":
    sys.exit(main())
