#!/usr/bin/env python3
"""Time to the first metered call, and to exit, of the sample app, bare and with metrics-agent.

Runs `java [-javaagent:...] -jar sample-app.jar --requests 1 --speed 0 --exit`, bare and with the
agent (port=0, host=127.0.0.1) in alternation, on each JDK (the default `java`, and Temurin 25
when /usr/lib/jvm/temurin-25-jdk-amd64 is there), and prints the medians of:
  - launch to the summary line on stdout (the first payment has been made and recorded);
  - launch to process exit;
  - summary to exit (what the JVM spends leaving after main is done);
and what the agent adds to each.

With --classes it also runs each way once more under -Xlog:class+load and counts the classes
loaded before the summary line, per thread and per origin (ByteBuddy, Prometheus client, SnakeYAML, OSHI,
the agent's own, the application, the JDK), to show where the first-call cost goes.

Run from anywhere after `mvn -B -DskipTests package`:
  python3 it/bench/first_call.py [runs] [--classes] [--java PATH ...] [--agent JAR ...]
"""
import argparse, collections, os, re, statistics, subprocess, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
APP = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
APP_ARGS = ["--requests", "1", "--speed", "0", "--exit"]
SUMMARY = "summary requests="

# First match wins: shaded libraries before the agent's own package.
ORIGINS = [
    ("ByteBuddy", "io.metricsagent.shaded.net.bytebuddy."),
    ("Prometheus", "io.metricsagent.shaded.io.prometheus."),
    ("SnakeYAML", "io.metricsagent.shaded.org.yaml."),
    ("OSHI+slf4j", "io.metricsagent.shaded."),
    ("app", "io.metricsagent.sample."),
    ("agent", "io.metricsagent."),
]
ORIGIN_NAMES = [name for name, _ in ORIGINS] + ["JDK"]
LOG_LINE = re.compile(r"\[(\d+\.\d+)s\]\[(\d+)\] (\S+) source: ")


def ways(agents):
    named = [(os.path.basename(a) if len(agents) > 1 else "metrics-agent", a) for a in agents]
    return [("bare", [])] + [(name, [f"-javaagent:{a}=host=127.0.0.1,port=0"]) for name, a in named]


def version(java):
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    props = dict(re.findall(r"^\s+(java\.(?:vm\.vendor|runtime\.version)) = (.*)$", out, re.M))
    return f"{props.get('java.vm.vendor', '?')} {props.get('java.runtime.version', '?')}"


def timed_run(java, flags):
    """(ms to the summary line, ms to exit) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen([java] + flags + ["-jar", APP] + APP_ARGS,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    summary = None
    for line in proc.stdout:
        if summary is None and line.startswith(SUMMARY):
            summary = time.perf_counter()
    err = proc.stderr.read()
    proc.wait()
    exit_at = time.perf_counter()
    # Any line of the agent's but its "serving" one says the run is not what it should measure. The
    # endpoint itself need not come up: an application this quick may be gone before it does.
    complaints = [l for l in err.splitlines() if l.startswith("[metrics-agent]") and " serving metrics on " not in l]
    if proc.returncode != 0 or summary is None or complaints:
        raise SystemExit(f"run failed (exit {proc.returncode}): {' '.join(flags)}\n{err}")
    return (summary - start) * 1000, (exit_at - start) * 1000


def measure(java, runs, agents):
    results = {name: ([], []) for name, _ in ways(agents)}
    for _ in range(runs):
        for name, flags in ways(agents):
            to_summary, to_exit = timed_run(java, flags)
            results[name][0].append(to_summary)
            results[name][1].append(to_exit)
    return results


def print_times(results, runs):
    print(f"  medians of {runs} alternating runs     to summary    to exit   summary→exit")
    rows = {}
    for name, (summaries, exits) in results.items():
        s, e = statistics.median(summaries), statistics.median(exits)
        gap = statistics.median(b - a for a, b in zip(summaries, exits))
        rows[name] = (s, e, gap)
        print(f"  {name:34s} {s:8.0f} ms {e:8.0f} ms {gap:9.0f} ms")
    bare = rows["bare"]
    for name, row in rows.items():
        if name != "bare":
            label = "added by the agent" if name == "metrics-agent" else "added by " + name
            print(f"  {label:34s} {row[0] - bare[0]:+8.0f} ms {row[1] - bare[1]:+8.0f} ms {row[2] - bare[2]:+9.0f} ms")


def thread_names(pid, names, done):
    """Keeps a tid -> name map of the JVM's threads (Java threads name their native thread)."""
    while not done.is_set():
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                # A new thread carries its creator's name until it names itself: the last read wins.
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    names[tid] = f.read().strip()
        except OSError:
            pass
        time.sleep(0.002)


def origin(cls):
    return next((name for name, prefix in ORIGINS if cls.startswith(prefix)), "JDK")


def class_loads(java, flags):
    """(class loads before the summary line per thread, total by exit, uptime of the main class)."""
    proc = subprocess.Popen([java, "-Xlog:class+load=info:stdout:uptime,tid"] + flags
                            + ["-jar", APP] + APP_ARGS, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    names, done = {}, threading.Event()
    poller = threading.Thread(target=thread_names, args=(proc.pid, names, done), daemon=True)
    poller.start()
    before = collections.defaultdict(list)  # tid -> [(uptime, origin)]
    main_tid, summary_seen, total, main_class = None, False, 0, None
    for line in proc.stdout:
        if SUMMARY in line:
            summary_seen = True
        m = LOG_LINE.search(line)
        if not m:
            continue
        total += 1
        uptime, tid, cls = float(m.group(1)), m.group(2), m.group(3)
        main_tid = main_tid or tid
        if main_class is None and origin(cls) == "app":
            main_class = uptime
        # The summary's printf lands between two log lines on the same stdout: what follows is after.
        if not summary_seen:
            before[tid].append((uptime, origin(cls)))
    proc.wait()
    done.set()
    poller.join()
    per_thread = collections.defaultdict(list)
    for tid, loads in before.items():
        per_thread["main" if tid == main_tid else names.get(tid, "tid " + tid)].extend(loads)
    return per_thread, total, main_class


def print_classes(java, agents):
    for name, flags in ways(agents):
        before, total, main_class = class_loads(java, flags)
        count = sum(len(v) for v in before.values())
        last = max(t for loads in before.values() for t, _ in loads)
        print(f"\n  {name}: {count} classes loaded before the summary line, {total} by exit;"
              f" the main class loaded at {main_class * 1000:.0f} ms of JVM uptime, the last class before"
              f" the summary at {last * 1000:.0f} ms")
        print(f"  {'thread':18s} " + " ".join(f"{o:>10s}" for o in ORIGIN_NAMES) + "   first-last load")
        for thread, loads in sorted(before.items(), key=lambda kv: min(kv[1])[0]):
            loads.sort()
            by_origin = collections.Counter(o for _, o in loads)
            print(f"  {thread:18s} " + " ".join(f"{by_origin[o]:10d}" for o in ORIGIN_NAMES)
                  + f"   {loads[0][0] * 1000:5.0f}-{loads[-1][0] * 1000:.0f} ms")
        for o in ("ByteBuddy", "Prometheus"):
            spans = [(t, thread) for thread, loads in before.items() for t, oo in loads if oo == o]
            if spans:
                threads = sorted({th for _, th in spans})
                print(f"  {o} classes: {len(spans)} on {', '.join(threads)},"
                      f" between {min(spans)[0] * 1000:.0f} and {max(spans)[0] * 1000:.0f} ms of JVM uptime")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=15)
    parser.add_argument("--classes", action="store_true", help="also count the classes loaded before the first call")
    parser.add_argument("--java", action="append", help="a java launcher to run (repeatable)")
    parser.add_argument("--agent", action="append", help="an agent jar to compare (repeatable; default: the build's)")
    args = parser.parse_args()
    agents = args.agent or [AGENT]
    for jar in agents + [APP]:
        if not os.path.exists(jar):
            raise SystemExit(f"{jar} is missing: run mvn -B -DskipTests package first")
    javas = args.java or ["java"] + ([TEMURIN_25] if os.path.exists(TEMURIN_25) else [])
    print(f"sample app {' '.join(APP_ARGS)}; cpu: {os.cpu_count()} cores")
    for java in javas:
        print(f"\n{version(java)} ({java})")
        print_times(measure(java, args.runs, agents), args.runs)
        if args.classes:
            print_classes(java, agents)


if __name__ == "__main__":
    main()
