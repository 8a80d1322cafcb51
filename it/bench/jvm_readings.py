"""What the bench scripts read of a running JVM from outside: its live heap and Java threads (with
the jcmd beside its java) and its /proc status."""
import os, re, subprocess


def jcmd(java, pid, command):
    return subprocess.run([os.path.join(os.path.dirname(os.path.realpath(java)), "jcmd"), str(pid), command],
                          capture_output=True, text=True, timeout=60).stdout


def live_heap_kib(java, pid, histogram_file=None):
    """The live heap: a class histogram of live objects is taken after a full collection, in one step
    (GC.run then GC.heap_info would count what a busy application allocated between the two); the
    histogram is written to histogram_file when one is given."""
    histogram = jcmd(java, pid, "GC.class_histogram")
    if histogram_file:
        with open(histogram_file, "w") as f:
            f.write(histogram)
    match = re.search(r"^Total\s+\d+\s+(\d+)\s*$", histogram, re.MULTILINE)
    if not match:
        raise SystemExit("GC.class_histogram said:\n" + histogram[-2000:])
    return int(match.group(1)) // 1024


def java_threads(java, pid):
    """The names of the JVM's Java threads but the JIT's compiler threads and the Attach Listener,
    which come and go with the JIT's work and with jcmd itself."""
    names = re.findall(r'^"([^"]+)"', jcmd(java, pid, "Thread.print"), re.MULTILINE)
    return sorted(n for n in names if "CompilerThread" not in n and n != "Attach Listener")


def status(pid, key):
    """A number of /proc/PID/status: Threads, or VmRSS in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise SystemExit(f"/proc/{pid}/status has no {key}")
