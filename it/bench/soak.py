#!/usr/bin/env python3
"""A soak: the sample under the agent at full speed for a long while, its series churning at max_series.

The sample runs with no sleeps on two threads (`--speed 0 --threads 2`) under a copy of its
configuration file whose legacy-gateway rule also labels each charge by the receipt it returns
(a new object each call, whose `toString()` carries its identity hash: a new value at nearly
every call): that rule's metrics sit at `max_series` for the whole run, every further
combination folded into their overflow series. Each minute the script records the live heap
(`jcmd GC.class_histogram`, taken after a full collection), the JVM's threads and its resident
set, and scrapes /metrics for the payments made and the calls folded. It prints the table and
the growth from the second minute (after the start-up and the JIT's warm-up) to the last.

Run from the repository root after `mvn -B -DskipTests package`:
  python3 it/bench/soak.py [--minutes 30] [--java PATH] [--max-series 1000] [--agent JAR] [--sample JAR]
(--agent and --sample: copies of the jars, when a build is to run meanwhile.)
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
from jvm_readings import live_heap_kib, status

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
SAMPLE = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
CONFIG = os.path.join(ROOT, "sample-app", "metrics-agent.yml")
SERVING = re.compile(r"serving metrics on (http://\S+/metrics)")


def churning_config(work):
    """The sample's file, its rule labelled by the receipt as well."""
    with open(CONFIG) as f:
        text = f.read()
    anchor = "      status: return.status\n"
    if anchor not in text:
        raise SystemExit(f"{CONFIG} no longer has the line this script extends: {anchor.strip()}")
    path = os.path.join(work, "soak.yml")
    with open(path, "w") as f:
        f.write(text.replace(anchor, anchor + "      receipt: return\n", 1))
    return path


def scrape(url):
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    payments = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("payment_requests_total{"))
    series = sum(1 for line in text.splitlines() if line.startswith("legacy_gateway_charges_total{"))
    folded = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                 if line.startswith("metrics_agent_series_dropped_total{"))
    return payments, series, folded


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--java", default=shutil.which("java"))
    parser.add_argument("--max-series", type=int, default=1000)
    parser.add_argument("--agent", default=AGENT)
    parser.add_argument("--sample", default=SAMPLE)
    args = parser.parse_args()
    for jar in (args.agent, args.sample):
        if not os.path.exists(jar):
            raise SystemExit(f"{jar} is missing: run mvn -B -DskipTests package first")
    with tempfile.TemporaryDirectory() as work:
        config = churning_config(work)
        err_path = os.path.join(work, "stderr")
        with open(err_path, "w") as err:
            proc = subprocess.Popen(
                [args.java, f"-javaagent:{args.agent}=config={config},port=0,host=127.0.0.1,max_series={args.max_series}",
                 "-jar", args.sample, "--speed", "0", "--threads", "2"],
                stdout=subprocess.DEVNULL, stderr=err)
        try:
            url = None
            deadline = time.time() + 60
            while url is None and time.time() < deadline:
                time.sleep(0.2)
                with open(err_path) as f:
                    match = SERVING.search(f.read())
                url = match.group(1) if match else None
            if url is None:
                raise SystemExit("no endpoint within 60 s:\n" + open(err_path).read())
            print(f"{args.java}, {args.minutes} min, max_series={args.max_series}, pid {proc.pid}")
            print(f"{'min':>4} {'heap after GC':>14} {'threads':>8} {'RSS':>10} {'payments':>14} {'series':>7} {'folded calls':>14}")
            rows = []
            start = time.time()
            for minute in range(1, args.minutes + 1):
                time.sleep(max(0, start + 60 * minute - time.time()))
                if proc.poll() is not None:
                    raise SystemExit(f"the sample ended (exit {proc.returncode}):\n" + open(err_path).read())
                row = (minute, live_heap_kib(args.java, proc.pid), status(proc.pid, "Threads"),
                       status(proc.pid, "VmRSS")) + scrape(url)
                rows.append(row)
                print(f"{row[0]:>4} {row[1]:>12}Ki {row[2]:>8} {row[3]:>8}Ki {row[4]:>14.0f} {row[5]:>7} {row[6]:>14.0f}",
                      flush=True)
            first, last = rows[min(1, len(rows) - 1)], rows[-1]
            print(f"from minute {first[0]} to {last[0]}: heap after GC {last[1] - first[1]:+d} KiB, threads "
                  f"{last[2] - first[2]:+d}, RSS {last[3] - first[3]:+d} KiB; "
                  f"{(last[4] - first[4]) / 60 / max(1, last[0] - first[0]):.0f} payments/s")
            lines = [l for l in open(err_path).read().splitlines() if l.startswith("[metrics-agent]")]
            print("agent lines:", *lines, sep="\n  ")
        finally:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
