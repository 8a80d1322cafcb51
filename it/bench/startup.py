#!/usr/bin/env python3
"""Start-up figures of metrics-agent beside the jmx_exporter agent, on a trivial application.

  1. the added start-up of a trivial main (median of alternating runs with and without agents);
  2. time to first scrape: from launching the JVM to the first 200 from /metrics;
  3. the agent jar's size, and the RSS and heap (used after a full GC) a JVM carries with each
     agent, 3 s after start.

Run from the repository root after `mvn -B -DskipTests package`:  python3 it/bench/startup.py [runs]
"""
import os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
JMX_VERSION = "1.0.1"
JMX = os.path.expanduser(f"~/.m2/repository/io/prometheus/jmx/jmx_prometheus_javaagent/{JMX_VERSION}/"
                         f"jmx_prometheus_javaagent-{JMX_VERSION}.jar")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20

TRIVIAL = "public class Trivial { public static void main(String[] a) { System.out.println(\"hi\"); } }"
IDLE = ("public class Idle { public static void main(String[] a) throws Exception {"
        " System.out.println(\"up\"); Thread.sleep(Long.parseLong(a[0])); } }")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(work):
    if not os.path.exists(AGENT):
        sys.exit(f"{AGENT} is missing: run mvn -B -DskipTests package first")
    if not os.path.exists(JMX):
        subprocess.run(["mvn", "-q", "-B", "-ntp", "dependency:get", "-Dtransitive=false",
                        f"-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:{JMX_VERSION}"], check=True)
    for name, source in (("Trivial", TRIVIAL), ("Idle", IDLE)):
        with open(os.path.join(work, name + ".java"), "w") as f:
            f.write(source)
    subprocess.run(["javac", "-d", work, os.path.join(work, "Trivial.java"), os.path.join(work, "Idle.java")], check=True)
    config = os.path.join(work, "jmx.yaml")
    with open(config, "w") as f:
        f.write("rules:\n- pattern: \".*\"\n")
    return config


def agents(config):
    """(name, function port -> JVM flags) for each way of running."""
    return [
        ("no agent", lambda port: []),
        ("metrics-agent", lambda port: [f"-javaagent:{AGENT}=host=127.0.0.1,port={port}"]),
        ("jmx_exporter " + JMX_VERSION, lambda port: [f"-javaagent:{JMX}=127.0.0.1:{port}:{config}"]),
    ]


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def first_scrape(cmd, port):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 30:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as r:
                    if r.status == 200:
                        return (time.perf_counter() - start) * 1000
            except OSError:
                time.sleep(0.005)
        return float("nan")
    finally:
        proc.kill()
        proc.wait()


def footprint_kib(cmd):
    """(RSS, heap used after a full GC) of the JVM 3 s after its start."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        with open(f"/proc/{proc.pid}/status") as f:
            rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        subprocess.run(["jcmd", str(proc.pid), "GC.run"], capture_output=True, check=True)
        info = subprocess.run(["jcmd", str(proc.pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
        heap = int(re.search(r"used (\d+)K", info).group(1))
        return rss, heap
    finally:
        proc.kill()
        proc.wait()


def main():
    work = tempfile.mkdtemp(prefix="metrics-agent-startup-")
    try:
        config = prepare(work)
        java = ["java", "-cp", work]
        ways = agents(config)
        print(subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0])
        print(f"cpu: {os.cpu_count()} cores; {RUNS} alternating runs each\n")

        runs = {name: [] for name, _ in ways}
        for _ in range(RUNS):
            for name, flags in ways:
                runs[name].append(timed(java[:1] + flags(free_port()) + java[1:] + ["Trivial"]))
        bare = statistics.median(runs["no agent"])
        print("trivial main, median wall time (added vs no agent):")
        for name, _ in ways:
            m = statistics.median(runs[name])
            print(f"  {name:24s} {m:7.0f} ms   {m - bare:+6.0f} ms")

        print("\ntime to first /metrics answer from JVM launch, median:")
        for name, flags in ways[1:]:
            times = []
            for _ in range(max(5, RUNS // 2)):
                port = free_port()
                times.append(first_scrape(java[:1] + flags(port) + java[1:] + ["Idle", "60000"], port))
            print(f"  {name:24s} {statistics.median(times):7.0f} ms")

        print("\nfootprint 3 s after start (added vs no agent):")
        base_rss, base_heap = footprint_kib(java + ["Idle", "60000"])
        for name, flags in ways:
            rss, heap = footprint_kib(java[:1] + flags(free_port()) + java[1:] + ["Idle", "60000"])
            print(f"  {name:24s} RSS {rss / 1024:6.1f} MiB ({(rss - base_rss) / 1024:+5.1f})"
                  f"   heap after GC {heap / 1024:5.1f} MiB ({(heap - base_heap) / 1024:+5.1f})")
        print(f"\nagent jar: {os.path.getsize(AGENT) / 1024 / 1024:.1f} MiB ({AGENT})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
