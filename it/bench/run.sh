#!/usr/bin/env bash
# Runs it/bench's JMH benchmarks (the payment call by default) at 1 and 2 threads with -prof gc and
# prints one table: variant | threads | ns/op | ± | added ns vs baseline | B/op | added B/op. Each
# benchmark class's rows are against that class's own `baseline`; a class other than
# PaymentBenchmark names its rows class.variant (servletRequest.agent).
#
#   it/bench/run.sh                      # builds what is missing, then ~10 minutes on 2 cores (FORKS=1: ~5)
#   FORKS=1 it/bench/run.sh             # quicker, noisier
#   FORKS=3 ITERATIONS=10 it/bench/run.sh
#   BENCH='PaymentBenchmark.(baseline|agent)$' THREADS=1 it/bench/run.sh
#   BENCH='(ServletRequest|JdbcExecution)Benchmark' it/bench/run.sh
#                                       # a servlet request and a JDBC execution through a pool's proxy:
#                                       # no agent, the metrics agent's presets, the OpenTelemetry agent
#
# Environment: FORKS (2: one fork of a variant can land ~60 ns off the next on a shared 2-core
# host), WARMUP_ITERATIONS (5), WARMUP_TIME (2s), ITERATIONS (5), TIME (2s),
# THREADS ("1 2"), BENCH (regex, "PaymentBenchmark"), BUILD (auto|always|never; auto builds when a
# jar is missing), JAVA (java), OUT (it/bench/target/jmh: JSON results and the JMH logs).
#
# The forks find agent/target/metrics-agent.jar and it/bench/target/agents/opentelemetry-javaagent.jar
# by paths relative to the repository root, so this script runs JMH from there.
set -euo pipefail
cd "$(dirname "$0")/../.."

FORKS=${FORKS:-2}
WARMUP_ITERATIONS=${WARMUP_ITERATIONS:-5}
WARMUP_TIME=${WARMUP_TIME:-2s}
ITERATIONS=${ITERATIONS:-5}
TIME=${TIME:-2s}
THREADS=${THREADS:-1 2}
BENCH=${BENCH:-PaymentBenchmark}
BUILD=${BUILD:-auto}
JAVA=${JAVA:-java}
OUT=${OUT:-it/bench/target/jmh}

BENCH_JAR=it/bench/target/benchmarks.jar
AGENT_JAR=agent/target/metrics-agent.jar
OTEL_JAR=it/bench/target/agents/opentelemetry-javaagent.jar

if [[ $BUILD == always || ( $BUILD == auto && ! ( -f $BENCH_JAR && -f $AGENT_JAR && -f $OTEL_JAR ) ) ]]; then
  echo "Building: mvn -B -ntp -q -DskipTests -Pbench package -pl it/bench -am"
  mvn -B -ntp -q -DskipTests -Pbench package -pl it/bench -am
fi
for jar in "$BENCH_JAR" "$AGENT_JAR" "$OTEL_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: run  mvn -B -ntp -DskipTests -Pbench package -pl it/bench -am  from the repository root" >&2
    exit 1
  fi
done

mkdir -p "$OUT"
results=()
for t in $THREADS; do
  json=$OUT/results-t$t.json
  log=$OUT/jmh-t$t.log
  echo "JMH: $BENCH, $t thread(s), $FORKS fork(s), ${WARMUP_ITERATIONS}x$WARMUP_TIME warm-up, ${ITERATIONS}x$TIME measured (log: $log)"
  "$JAVA" -jar "$BENCH_JAR" "$BENCH" -t "$t" -f "$FORKS" -wi "$WARMUP_ITERATIONS" -w "$WARMUP_TIME" \
      -i "$ITERATIONS" -r "$TIME" -prof gc -rf json -rff "$json" >"$log" 2>&1 || {
    tail -40 "$log" >&2
    echo "JMH failed; see $log" >&2
    exit 1
  }
  # A fork that failed (e.g. an agent missing) leaves JMH's exit code 0 but no result for it.
  if grep -q '<failure>' "$log"; then
    echo "warning: some benchmarks failed; see $log" >&2
    grep -A3 '<failure>' "$log" >&2 || true
  fi
  results+=("$json")
done

echo
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1 || true)
[[ -n $cpu ]] || cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
echo "CPU: ${cpu:-unknown} ($(nproc) logical CPUs)"
echo "JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.name = //p') $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
echo "JMH: -f $FORKS -wi $WARMUP_ITERATIONS -w $WARMUP_TIME -i $ITERATIONS -r $TIME -prof gc; mode avgt"
echo

python3 - "${results[@]}" <<'PY'
import json, sys

ORDER = ["baseline", "handWrittenCached", "handWrittenLabelValues", "agent", "agentWithOtel", "agentWithOtelExemplarsOff", "agentGeneral", "agentConfigured",
         "agentConfiguredEveryLevel", "agentLayeredOutermost", "agentLayeredEveryLevel", "micrometer",
         "otelWithSpan", "otelMethodsInclude", "otel"]
CLASSES = ["PaymentBenchmark", "ServletRequestBenchmark", "JdbcExecutionBenchmark"]
rows = []
for path in sys.argv[1:]:
    with open(path) as f:
        for r in json.load(f):
            cls, variant = r["benchmark"].rsplit(".", 2)[1:]
            pm = r["primaryMetric"]
            alloc = None
            for name, m in r.get("secondaryMetrics", {}).items():
                if name.lstrip("·").endswith("gc.alloc.rate.norm"):
                    alloc = m["score"]
            rows.append(dict(cls=cls, variant=variant, threads=r["threads"], score=pm["score"],
                             error=pm["scoreError"], unit=pm["scoreUnit"], alloc=alloc))

# Each class's rows against its own baseline: a payment call's, a servlet request's, a JDBC execution's.
base = {(r["cls"], r["threads"]): r for r in rows if r["variant"] == "baseline"}

def label(r):
    if r["cls"] == "PaymentBenchmark":
        return r["variant"]
    name = r["cls"].removesuffix("Benchmark")
    return name[0].lower() + name[1:] + "." + r["variant"]

def num(x, fmt="{:.1f}"):
    try:
        x = float(x)  # JMH writes "NaN" as a string, e.g. the error of fewer than 3 iterations
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if x != x else fmt.format(x)

def rank(r):
    c, v = r["cls"], r["variant"]
    return (r["threads"], CLASSES.index(c) if c in CLASSES else len(CLASSES), c,
            ORDER.index(v) if v in ORDER else len(ORDER), v)

header = ["variant", "threads", "ns/op", "±", "added ns vs baseline", "B/op", "added B/op"]
table = []
for r in sorted(rows, key=rank):
    b = base.get((r["cls"], r["threads"]))
    added = None if b is None else r["score"] - b["score"]
    added_b = None if b is None or r["alloc"] is None or b["alloc"] is None else r["alloc"] - b["alloc"]
    table.append([label(r), str(r["threads"]), num(r["score"]), num(r["error"]),
                  "—" if r["variant"] == "baseline" else num(added, "{:+.1f}"),
                  num(r["alloc"]), "—" if r["variant"] == "baseline" else num(added_b, "{:+.1f}")])
widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(header)]
def line(cells):
    return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
print(line(header))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for row in table:
    print(line(row))
unmatched = sorted({r["cls"] for r in rows if (r["cls"], r["threads"]) not in base})
if unmatched:
    print("\n(no baseline result for " + ", ".join(unmatched) + ": its added columns left empty)")
print("\nns/op: JMH average time per call (± = its 99.9% confidence half-width); B/op: gc.alloc.rate.norm.")
if any(r["cls"] == "PaymentBenchmark" for r in rows):
    print("Every variant allocates the same PaymentDeclinedException on 1 call in 10; 'added' is what the")
    print("instrumentation costs on top of the uninstrumented baseline at the same thread count.")
if any(r["cls"] != "PaymentBenchmark" for r in rows):
    print("A class.variant row's 'added' is against the baseline of its own class at the same thread count.")
PY
