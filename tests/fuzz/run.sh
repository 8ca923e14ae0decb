#!/usr/bin/env bash
# Coverage-guided fuzzing of one SpNet decoder with afl++ and SharpFuzz.
#   tests/fuzz/run.sh TARGET SECONDS      (targets: tests/fuzz/run.sh --list)
# Publishes tests/fuzz/SpNet.Fuzz, instruments the target's namespace in the published SpNet.dll or
# SpNet.Discovery.dll with the sharpfuzz tool (SharpFuzz.CommandLine, installed under artifacts/fuzz/tools on first
# use), and runs afl-fuzz on the target
# for SECONDS, at nice 19, starting from tests/fuzz/corpus/TARGET. Findings go to artifacts/fuzz/TARGET/out.
# Ends with one line:
#   fuzz TARGET: S s, E execs (R/s), P paths (N new), X edges, stability Y%, C crashes, H hangs
# and exits 1 when afl-fuzz found a crash or a hang (their inputs are listed) or did not run.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$root/artifacts/fuzz
publish=$work/publish
if [ "${1:-}" = "--list" ]; then
  nice -n 19 dotnet run -c Release --project tests/fuzz/SpNet.Fuzz -- --list
  exit $?
fi
if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: tests/fuzz/run.sh TARGET SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2
corpus=$root/tests/fuzz/corpus/$target
if [ ! -d "$corpus" ]; then
  echo "fuzz: no corpus at tests/fuzz/corpus/$target (unknown target?)" >&2
  exit 2
fi
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz: afl-fuzz is not installed (Debian: apt-get install afl++)" >&2
  exit 1
fi

# --- the instrumenting tool, pinned -------------------------------------------------------------------------------
sharpfuzz=$work/tools/sharpfuzz
if [ ! -x "$sharpfuzz" ]; then
  nice -n 19 dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null || {
    echo "fuzz: could not install SharpFuzz.CommandLine 2.3.0" >&2
    exit 1
  }
fi

# --- publish once, instrument a fresh copy per run (instrumenting twice fails, and publish skips unchanged files) --
nice -n 19 dotnet publish tests/fuzz/SpNet.Fuzz -c Release -o "$publish" -v quiet -nologo >/dev/null || {
  echo "fuzz: publishing the harness failed" >&2
  exit 1
}
bin=$work/$target/bin
out=$work/$target/out
rm -rf "$bin" "$out"
mkdir -p "$bin"
cp -r "$publish/." "$bin/"
# Only the namespace that holds the target's decoder is instrumented: edges from the rest (pipes' thread-pool loops,
# pools, timers) vary from run to run of the same input and would only drown the ones that matter.
case $target in
  frame|handshake) dll=SpNet.dll; scope=SpNet.Transports.Framing ;;
  ws-head|ws-frame) dll=SpNet.dll; scope=SpNet.Transports.Ws ;;
  backtrace|pair1) dll=SpNet.dll; scope=SpNet.Protocols ;;
  discovery) dll=SpNet.Discovery.dll; scope=SpNet.Discovery ;;
  *) echo "fuzz: no instrumentation scope for $target" >&2; exit 2 ;;
esac
"$sharpfuzz" "$bin/$dll" "$scope" >/dev/null || {
  echo "fuzz: instrumenting $scope in $dll failed" >&2
  exit 1
}

# --- fuzz ---------------------------------------------------------------------------------------------------------
# dotnet itself is not instrumented (the check would refuse it); no CPU binding and no core-pattern demands on a
# shared machine; -t 5000: an input that takes 5 s is a hang (the harness bounds its own waits at 5 s too).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_FORKSRV_INIT_TMOUT=60000
nice -n 19 afl-fuzz -V "$seconds" -t 5000 -m none -i "$corpus" -o "$out" -- dotnet "$bin/SpNet.Fuzz.dll" "$target" \
  >"$work/$target/afl.log" 2>&1
rc=$?

stats=$out/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "fuzz: afl-fuzz did not start (exit $rc); last lines of artifacts/fuzz/$target/afl.log:" >&2
  tail -n 15 "$work/$target/afl.log" >&2
  echo "fuzz $target: 0 s, 0 execs (0/s), 0 paths (0 new), 0 edges, stability 0%, 0 crashes, 0 hangs"
  exit 1
fi
stat() { awk -F': *' -v k="$1" '$1 ~ "^"k" *$" { print $2 }' "$stats"; }
crashes=$(stat saved_crashes)
hangs=$(stat saved_hangs)
execs=$(stat execs_done)
run_time=$(stat run_time)
paths=$(stat corpus_count)
stability=$(stat stability)
found=$(stat corpus_found)
edges=$(stat edges_found)
rate=$(awk -v e="$execs" -v t="$run_time" 'BEGIN { printf "%.0f", (t > 0 ? e / t : 0) }')
for kind in crashes hangs; do
  for f in "$out/default/$kind"/id:*; do
    [ -e "$f" ] && echo "fuzz: $kind input: ${f#$root/}" >&2
  done
done
echo "fuzz $target: $run_time s, $execs execs ($rate/s), $paths paths ($found new), $edges edges, stability $stability, $crashes crashes, $hangs hangs"
[ "${crashes:-0}" -eq 0 ] && [ "${hangs:-0}" -eq 0 ] && [ "${execs:-0}" -gt 0 ]
