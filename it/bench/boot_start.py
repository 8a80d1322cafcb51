#!/usr/bin/env python3
"""Start-up of the Spring Boot service in it/service-app: bare, under an empty agent, under a no-op
transformer, and under metrics-agent.

The empty agent is a jar whose premain returns at once but that may retransform classes, as ours
does: what any agent costs the JVM (its jar opened, the module graph booted without its archived
form, premain called). The no-op transformer is the same jar whose premain also registers a
retransformation-capable ClassFileTransformer that returns null for every class: what any agent
that weaves classes as they load costs on top (the JVM hands it every class's bytes, the JDK's
archived classes read back from the runtime image for it), the floor of a weaving agent. The four
ways run in alternation, N times each, on each JDK (the default `java`, and Temurin 25 when it is
installed), and the script prints the medians of:
  - launch to Spring Boot's "Started ..." line (the application context up, Tomcat listening);
  - Spring Boot's own "process running for" at that line (the JVM's uptime);
  - launch to "ready" (the pool full: the hikaricp preset's pool woven and filled);
and each agent's figures against bare, and metrics-agent's against the empty agent and the no-op
transformer.

Run from the repository root after `mvn -B -DskipTests package`:
  python3 it/bench/boot_start.py [runs] [--java PATH ...] [--agent-args ARGS]
"""
import argparse, os, re, statistics, subprocess, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
APP = os.path.join(ROOT, "it", "service-app", "target", "service-app.jar")
TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
APP_ARGS = ["--server.port=0", "--server.address=127.0.0.1", "--job.runs=1", "--job.rate-ms=60000"]
STARTED = re.compile(r"Started \S+ in [\d.]+ seconds \(process running for ([\d.]+)\)")
TIMEOUT_S = 60

EMPTY_AGENT = """public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
        if ("transformer".equals(args)) {
            inst.addTransformer(new java.lang.instrument.ClassFileTransformer() {}, true);
        }
    }
}
"""
EMPTY_MANIFEST = "Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\nCan-Redefine-Classes: true\n"


def empty_agent(work):
    source = os.path.join(work, "EmptyAgent.java")
    with open(source, "w") as f:
        f.write(EMPTY_AGENT)
    manifest = os.path.join(work, "manifest.txt")
    with open(manifest, "w") as f:
        f.write(EMPTY_MANIFEST)
    classes = os.path.join(work, "classes")
    subprocess.run(["javac", "--release", "11", "-d", classes, source], check=True)
    jar = os.path.join(work, "empty-agent.jar")
    subprocess.run(["jar", "cfm", jar, manifest, "-C", classes, "."], check=True)
    return jar


def timed_run(java, flags):
    """(s to "Started", the JVM's uptime then as Spring Boot says it, s to "ready") of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen([java] + flags + ["-jar", APP] + APP_ARGS, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    timer = threading.Timer(TIMEOUT_S, proc.kill)
    timer.start()
    started = uptime = ready = None
    try:
        for line in proc.stdout:
            if started is None:
                match = STARTED.search(line)
                if match:
                    started, uptime = time.perf_counter() - start, float(match.group(1))
            if line.strip() == "ready":
                ready = time.perf_counter() - start
                proc.stdin.write("exit\n")
                proc.stdin.flush()
                break
        proc.communicate(timeout=TIMEOUT_S)
    finally:
        timer.cancel()
    if started is None or ready is None:
        raise SystemExit(f"{' '.join(flags) or 'bare'}: no 'Started' or 'ready' line within {TIMEOUT_S} s")
    return started, uptime, ready


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=11)
    parser.add_argument("--java", action="append", help="a java executable (repeatable)")
    parser.add_argument("--agent-args", default="host=127.0.0.1,port=0", help="metrics-agent's options")
    args = parser.parse_args()
    javas = args.java or (["java"] + ([TEMURIN_25] if os.path.exists(TEMURIN_25) else []))
    for jar in (AGENT, APP):
        if not os.path.exists(jar):
            raise SystemExit(f"{jar} is missing: run mvn -B -DskipTests package first")
    with tempfile.TemporaryDirectory() as work:
        empty = empty_agent(work)
        ways = [("bare", []), ("empty agent", [f"-javaagent:{empty}"]),
                ("no-op transformer", [f"-javaagent:{empty}=transformer"]),
                ("metrics-agent", [f"-javaagent:{AGENT}={args.agent_args}"])]
        print(f"it/service-app, {args.runs} alternating runs a way; cpu: {os.cpu_count()} cores")
        for java in javas:
            results = {name: [] for name, _ in ways}
            for _ in range(args.runs):
                for name, flags in ways:
                    results[name].append(timed_run(java, flags))
            medians = {name: [statistics.median(r[i] for r in runs) for i in range(3)]
                       for name, runs in results.items()}
            print(f"\n{java}")
            print(f"  {'medians':<18} {'to Started':>11} {'JVM uptime':>11} {'to ready':>9}")
            for name, (started, uptime, ready) in medians.items():
                print(f"  {name:<18} {started:10.3f}s {uptime:10.3f}s {ready:8.3f}s")
            bare, empty_m, noop, agent = (medians[name] for name, _ in ways)
            for label, over, base in (("empty agent / bare", empty_m, bare), ("no-op transformer / bare", noop, bare),
                                      ("metrics-agent / bare", agent, bare),
                                      ("no-op transformer / empty agent", noop, empty_m),
                                      ("metrics-agent / empty agent", agent, empty_m),
                                      ("metrics-agent / no-op transformer", agent, noop)):
                print(f"  {label:<34} " + "  ".join(f"{o / b:.3f}" for o, b in zip(over, base)))


if __name__ == "__main__":
    main()
