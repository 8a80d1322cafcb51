#!/usr/bin/env python3
"""Two running costs of metrics-agent, measured on real JVMs:

  1. scrape time of /metrics holding ~10,000 series (835 tiers: 1,670 payment_requests_total
     series and 835 payment_amount_usd histograms of 10 series each), median of 50 scrapes after
     20 warm-ups, as plain text and gzipped as Prometheus asks;
  2. CPU the host sampler thread uses, read from /proc for its thread over 30 s at interval=1,
     and what that makes at the default interval of 5 s.

Run from the repository root after `mvn -B -DskipTests package`:  python3 it/bench/scrape_and_sampler.py
"""
import glob, os, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
FAULT_APP = os.path.join(ROOT, "it", "fault-app", "target")
HZ = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path="/metrics"):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                return r.read()
        except OSError:
            time.sleep(0.05)
    sys.exit("the agent never answered")


def fetch(port, encoding):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.read()


def scrape_cost():
    jars = glob.glob(os.path.join(FAULT_APP, "fault-app-*.jar"))
    if not jars:
        sys.exit(f"{FAULT_APP} has no jar: run mvn -B -DskipTests package first")
    port = free_port()
    cp = jars[0] + os.pathsep + os.path.join(FAULT_APP, "lib", "*")
    app = subprocess.Popen(["java", f"-javaagent:{AGENT}=host=127.0.0.1,port={port},max_series=20000,host_metrics=false",
                            "-cp", cp, "io.metricsagent.it.faults.FaultApp", "cardinality", "835"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in app.stdout:
            if line.strip() == "ready":
                break
        body = wait_for(port)
        series = sum(1 for l in body.decode().splitlines() if l and not l.startswith("#"))
        for encoding in ("identity", "gzip"):
            for _ in range(20):
                fetch(port, encoding)
            times = []
            for _ in range(50):
                start = time.perf_counter()
                size = len(fetch(port, encoding))
                times.append((time.perf_counter() - start) * 1000)
            print(f"scrape of {series} series ({size / 1024:.0f} KiB, {encoding}):"
                  f" median {statistics.median(times):.1f} ms, p90 {sorted(times)[44]:.1f} ms")
    finally:
        app.kill()
        app.wait()


def sampler_cost():
    work = tempfile.mkdtemp(prefix="metrics-agent-sampler-")
    with open(os.path.join(work, "Idle.java"), "w") as f:
        f.write("public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(600000); } }")
    subprocess.run(["javac", "-d", work, os.path.join(work, "Idle.java")], check=True)
    port = free_port()
    app = subprocess.Popen(["java", f"-javaagent:{AGENT}=host=127.0.0.1,port={port},interval=1", "-cp", work, "Idle"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        time.sleep(3)
        task = sampler_task(app.pid)
        before, t0 = cpu_ticks(task), time.time()
        time.sleep(30)
        after, t1 = cpu_ticks(task), time.time()
        seconds = (after - before) / HZ
        share_at_1s = seconds / (t1 - t0) * 100
        print(f"host sampler thread: {seconds * 1000:.0f} ms CPU in {t1 - t0:.0f} s at interval=1"
              f" ({seconds / (t1 - t0) * 1000:.2f} ms per sample) = {share_at_1s:.3f} % of a core;"
              f" at interval=5: {share_at_1s / 5:.3f} % of a core")
    finally:
        app.kill()
        app.wait()


def sampler_task(pid):
    for task in glob.glob(f"/proc/{pid}/task/*"):
        with open(os.path.join(task, "comm")) as f:
            if f.read().strip() == "metrics-sampler":
                return task
    sys.exit("no metrics-sampler thread found")


def cpu_ticks(task):
    with open(os.path.join(task, "stat")) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


if __name__ == "__main__":
    print(subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0])
    scrape_cost()
    sampler_cost()
