#!/usr/bin/env python3
"""Periodic pushes to a Pushgateway that is down for ten minutes: nothing grows, and its return carries the totals.

The sample runs under the agent with `push_interval=1` and a `push_url` on a free port of
127.0.0.1 where nothing listens. Payments flow the whole time: the sample reads rounds from stdin
(`--stdin --speed 0`) and the script asks it for a round of --rate payments each second, adding up
the rounds' summaries, so that it knows to the payment what the application made. After a
warm-up (the threads only start-up used end after 60 s idle), and each minute from then on, it
records the JVM's Java threads (`jcmd Thread.print`, less the JIT's compiler threads and the
Attach Listener, which come and go with jcmd and the JIT), the live heap (`jcmd
GC.class_histogram`, which collects first), the resident set and the lines on the JVM's stderr
(the agent says once that pushes fail, not once a push).

Then it asks for no more payments, so that the count cannot move during the one-second
interval, starts a real Pushgateway on the port and waits for the agent's "succeeded again": the
payment_requests_total the gateway holds for the job must be the application's count, exactly.
Pushes are made one after another on one thread, so none may have queued up meanwhile: the
gateway counts the PUTs it takes in the --settle seconds after that line, one a second and no
burst. Last, one more round, which the next push must bring to the gateway.

Run from the repository root after `mvn -B -DskipTests package` (and `apt-get install
prometheus-pushgateway` where it is missing):
  python3 it/bench/push_outage.py [--minutes 10] [--rate 50] [--java PATH] [--jvm-option OPTION]... [--agent JAR] [--sample JAR]
"""
import argparse, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request
from jvm_readings import java_threads, live_heap_kib, status

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(ROOT, "agent", "target", "metrics-agent.jar")
SAMPLE = os.path.join(ROOT, "sample-app", "target", "sample-app.jar")
JOB = "outage"
SUMMARY = re.compile(r"^summary requests=(\d+) ")
PUTS = re.compile(r'^pushgateway_http_requests_total\{[^}]*handler="push"[^}]*method="put"[^}]*\} (\S+)$', re.MULTILINE)
HEAP_GROWTH_KIB = 512


class Sample:
    """The sample under the agent, making payments in rounds when asked."""

    def __init__(self, java, jvm_options, agent, sample, push_url, err_path):
        self.err_path = err_path
        self.err = open(err_path, "w")
        self.proc = subprocess.Popen(
            [java] + jvm_options + [f"-javaagent:{agent}=port=0,host=127.0.0.1,push_url={push_url},push_job={JOB},push_interval=1",
             "-jar", sample, "--stdin", "--speed", "0", "--seed", "7", "--exit"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.payments = 0

    def round(self, requests):
        """Makes `requests` payments and returns once the sample has printed their summary."""
        self.proc.stdin.write(f"{requests}\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            match = SUMMARY.match(line)
            if match:
                if int(match.group(1)) != requests:
                    raise SystemExit(f"asked for {requests} payments, the sample made: {line.strip()}")
                self.payments += requests
                return
        raise SystemExit(f"the sample ended (exit {self.proc.wait()}):\n" + self.stderr())

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def agent_lines(self):
        return [l for l in self.stderr().splitlines() if l.startswith("[metrics-agent]")]

    def close(self):
        """Ends the rounds; the sample exits after its push at exit."""
        try:
            self.proc.stdin.close()
            return self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            return self.proc.wait()
        finally:
            self.err.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gateway_metrics(port):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()


def gateway_total(text):
    """payment_requests_total summed over the job's group."""
    return sum(float(l.rsplit(" ", 1)[1]) for l in text.splitlines()
               if l.startswith("payment_requests_total{") and f'job="{JOB}"' in l)


def gateway_puts(text):
    return sum(float(v) for v in PUTS.findall(text))


def await_stderr(sample, text, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if any(text in l for l in sample.agent_lines()):
            return time.time()
        time.sleep(0.05)
    raise SystemExit(f"no line with {text!r} within {seconds} s:\n" + sample.stderr())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=int, default=50, help="payments a second while the gateway is down")
    parser.add_argument("--warmup", type=int, default=75,
                        help="seconds of rounds before minute 0 is read: the threads that start-up alone used (the"
                             " endpoint's first, the JDK's process reaper after OSHI's probe) end after 60 s idle")
    parser.add_argument("--settle", type=int, default=10, help="seconds after the gateway's return over which PUTs are counted")
    parser.add_argument("--java", default=shutil.which("java"))
    parser.add_argument("--jvm-option", action="append", default=[],
                        help="an option for the sample's JVM, e.g. -XX:+AlwaysPreTouch to tell the heap's pages from the rest of RSS")
    parser.add_argument("--agent", default=AGENT)
    parser.add_argument("--sample", default=SAMPLE)
    args = parser.parse_args()
    for jar in (args.agent, args.sample):
        if not os.path.exists(jar):
            raise SystemExit(f"{jar} is missing: run mvn -B -DskipTests package first")
    pushgateway = shutil.which("prometheus-pushgateway") or shutil.which("pushgateway")
    if pushgateway is None:
        raise SystemExit("no Pushgateway on the PATH: apt-get install prometheus-pushgateway")
    port = free_port()
    push_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as work:
        sample = Sample(args.java, args.jvm_option, args.agent, args.sample, push_url, os.path.join(work, "stderr"))
        gateway = None
        try:
            pid = sample.proc.pid
            # The first rounds make the metrics' series, start-up's idle threads end; the failure line comes with the first push.
            warm_until = time.time() + args.warmup
            while time.time() < warm_until:
                sample.round(args.rate)
                time.sleep(1)
            await_stderr(sample, " failed: ", 10)

            print(f"{' '.join([args.java] + args.jvm_option)}, gateway {push_url} down for {args.minutes} min, push_interval=1, "
                  f"{args.rate} payments/s, pid {pid}")
            print(f"{'min':>4} {'threads':>8} {'heap after GC':>14} {'RSS':>10} {'stderr lines':>13} {'payments':>9}")
            rows, names = [], []
            start = time.time()
            for minute in range(0, args.minutes + 1):
                while time.time() < start + 60 * minute:
                    sample.round(args.rate)
                    time.sleep(max(0, min(1, start + 60 * minute - time.time())))
                names.append(java_threads(args.java, pid))
                row = (minute, len(names[-1]), live_heap_kib(args.java, pid), status(pid, "VmRSS"),
                       len(sample.stderr().splitlines()), sample.payments)
                rows.append(row)
                print(f"{row[0]:>4} {row[1]:>8} {row[2]:>12}Ki {row[3]:>8}Ki {row[4]:>13} {row[5]:>9}", flush=True)

            # No payment from here to the check: the count the gateway must show cannot move meanwhile.
            made = sample.payments
            # No persistence file: Debian's default one would bring back groups of earlier runs.
            gateway = subprocess.Popen([pushgateway, f"--web.listen-address=127.0.0.1:{port}", "--persistence.file="],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            listening = None
            deadline = time.time() + 30
            while listening is None and time.time() < deadline:
                try:
                    gateway_metrics(port)
                    listening = time.time()
                except (urllib.error.URLError, OSError):
                    time.sleep(0.05)
            if listening is None:
                raise SystemExit("the Pushgateway did not answer within 30 s")
            back = await_stderr(sample, "succeeded again", 10)
            first = gateway_metrics(port)
            pushed, puts_at_return = gateway_total(first), gateway_puts(first)
            time.sleep(args.settle)
            puts = gateway_puts(gateway_metrics(port)) - puts_at_return
            sample.round(args.rate)
            deadline = time.time() + 10
            while gateway_total(gateway_metrics(port)) != sample.payments and time.time() < deadline:
                time.sleep(0.1)
            followed = gateway_total(gateway_metrics(port))
            lines = sample.agent_lines()

            first_row, last_row = rows[0], rows[-1]
            heaps = [r[2] for r in rows]
            rss = [r[3] for r in rows]
            print(f"threads: {first_row[1]} at minute 0, {last_row[1]} at minute {last_row[0]}"
                  + ("" if names[0] == names[-1] else f" (before {names[0]}, after {names[-1]})"))
            print(f"live heap after GC: {min(heaps)}-{max(heaps)} KiB, {last_row[2] - first_row[2]:+d} KiB from minute 0 "
                  f"to {last_row[0]}; RSS {min(rss)}-{max(rss)} KiB, {last_row[3] - first_row[3]:+d} KiB")
            print(f"stderr: {first_row[4]} lines at minute 0, {last_row[4]} at minute {last_row[0]}")
            print(f"gateway back: listening to 'succeeded again' {back - listening:.2f} s; the first push carried "
                  f"payment_requests_total {pushed:.0f}, the application had made {made}; {puts:.0f} PUTs in the "
                  f"{args.settle} s after; one more round of {args.rate}: the gateway held {followed:.0f} of "
                  f"{sample.payments}")
            print("agent lines:", *lines, sep="\n  ")
            print("other stderr lines:", *[l for l in sample.stderr().splitlines() if l not in lines], sep="\n  ")
            failures = []
            if names[0] != names[-1]:
                failures.append("threads changed")
            if last_row[2] - first_row[2] >= HEAP_GROWTH_KIB:
                failures.append(f"live heap grew by {HEAP_GROWTH_KIB} KiB or more")
            if any(r[4] != first_row[4] for r in rows):
                failures.append("stderr grew while the gateway was down")
            if pushed != made:
                failures.append(f"the first push carried {pushed:.0f}, not {made}")
            if puts > args.settle + 1:
                failures.append(f"{puts:.0f} PUTs in {args.settle} s: a backlog")
            if followed != sample.payments:
                failures.append("the pushes after the return did not follow the payments")
            if sum(" failed: " in l for l in lines) != 1 or sum("succeeded again" in l for l in lines) != 1:
                failures.append("not one line each for the failure and the return")
            print("verdict:", "; ".join(failures) if failures else "PASS")
            return 1 if failures else 0
        finally:
            sample.close()
            if gateway is not None:
                gateway.terminate()
                gateway.wait()


if __name__ == "__main__":
    sys.exit(main())
