#!/usr/bin/env bash
# Whole-pipeline throughput in a real Vector, beside the CLI's, in one run on one file:
#
#   cli           nps-enrich alone (one thread), documents to /dev/null
#   pipe_json     nps-enrich | vector: stdin, json decoding -> blackhole
#   pipe_shipped  nps-enrich | vector: the shipped pipe-stdin-to-elasticsearch.toml's source
#                 and remap -> blackhole
#   exec_shipped  vector alone: the shipped files-exec-to-elasticsearch.toml's exec source
#                 (run once on the file) and remap -> blackhole
#   exec_encode   the same -> console sink, JSON, to /dev/null: Vector encodes each document
#                 again, as its Elasticsearch and Splunk sinks do (before gzip and HTTP)
#   floor         vector: stdin lines as bytes -> blackhole (Vector's own floor, no decoding)
#
#   benches/vector-pipeline.sh VECTOR [FIELDS]
#
# VECTOR is a vector binary with the stdin, exec, remap, blackhole and console components
# (an official release has them). FIELDS is nps-enrich's --fields profile (default compact).
# Environment: LINES (default 500000 generated IAS lines), RUNS (default 3), CORES (a
# taskset core list, default: not pinned), OUT (default target/vector-pipeline).
#
# Each run reports lines per second of wall time and lines per CPU second (user + system
# of every process of the pipeline, from wait4's rusage): on a shared machine the second is
# the steadier figure. Before the timed runs, both shipped remaps write their output once
# to a file sink, which must hold one document per line.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,25p "$0"; exit 2; }
VECTOR=$(realpath "$1")
FIELDS=${2:-compact}
cd "$(dirname "$0")/.."
N=${LINES:-500000}
RUNS=${RUNS:-3}
OUT=${OUT:-target/vector-pipeline}
mkdir -p "$OUT/data"
OUT=$(realpath "$OUT")
pin=()
[ -n "${CORES:-}" ] && pin=(taskset -c "$CORES")

cargo build -q --locked --release --example gen_corpus --bin nps-enrich
TD=$(cargo metadata -q --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
CLI=$TD/release/nps-enrich
F=$OUT/ias.log
{ [ -f "$F" ] && [ "$(wc -l < "$F")" = "$N" ]; } || "$TD/release/examples/gen_corpus" ias "$N" > "$F"
cli=("$CLI" --quiet --timezone UTC --fields "$FIELDS" -j 1)

# Configs: the shipped remaps, taken from the shipped files; sources and sinks made local.
python3 - vector-config/vector "$OUT" "$F" "$(printf '%s\n' "${cli[@]}" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split("\n")[:-1]))')" <<'PY'
import json, sys, tomllib
cfgdir, out, corpus, argv = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
def q(s):
    return json.dumps(s)  # a TOML basic string
def shipped(name):
    return tomllib.load(open(f'{cfgdir}/{name}', 'rb'))
def write(name, text):
    open(f'{out}/{name}.toml', 'w').write(f'data_dir = {q(out + "/data")}\n' + text)
schema = '[log_schema]\ntimestamp_key = "@timestamp"\nhost_key = ""\nsource_type_key = ""\n'
def sink(inputs, kind):
    if kind == 'blackhole':
        return f'[sinks.out]\ntype = "blackhole"\ninputs = [{q(inputs)}]\nprint_interval_secs = 0\n'
    if kind == 'console':
        return f'[sinks.out]\ntype = "console"\ninputs = [{q(inputs)}]\nencoding.codec = "json"\n'
    return (f'[sinks.out]\ntype = "file"\ninputs = [{q(inputs)}]\npath = {q(kind)}\n'
            'encoding.codec = "json"\n')
def remap_of(t):
    (name, tr), = [(k, v) for k, v in t['transforms'].items() if v['type'] == 'remap']
    return name, tr['source']
pipe = shipped('pipe-stdin-to-elasticsearch.toml')
(src_name, src), = pipe['sources'].items()
pname, psource = remap_of(pipe)
ex = shipped('files-exec-to-elasticsearch.toml')
ename, esource = remap_of(ex)
def pipe_cfg(kind):
    return (schema + f'[sources.{src_name}]\ntype = "stdin"\n'
            + ''.join(f'{k} = {json.dumps(v)}\n' for k, v in src.items() if k not in ('type',) and not isinstance(v, dict))
            + ''.join(f'{k}.{kk} = {json.dumps(vv)}\n' for k, v in src.items() if isinstance(v, dict) for kk, vv in v.items())
            + f'[transforms.{pname}]\ntype = "remap"\ninputs = [{q(src_name)}]\nsource = {q(psource)}\n' + sink(pname, kind))
def exec_cfg(kind):
    return (schema + '[sources.nps]\ntype = "exec"\nmode = "streaming"\n'
            f'command = {json.dumps(argv + [corpus])}\ninclude_stderr = false\ndecoding.codec = "json"\n'
            'streaming.respawn_on_exit = false\n'
            f'[transforms.{ename}]\ntype = "remap"\ninputs = ["nps"]\nsource = {q(esource)}\n' + sink(ename, kind))
write('pipe_json', '[sources.in]\ntype = "stdin"\ndecoding.codec = "json"\nmax_length = 4194304\n' + sink('in', 'blackhole'))
write('pipe_shipped', pipe_cfg('blackhole'))
write('pipe_shipped.check', pipe_cfg(out + '/pipe.check.jsonl'))
write('exec_shipped', exec_cfg('blackhole'))
write('exec_encode', exec_cfg('console'))
write('exec_shipped.check', exec_cfg(out + '/exec.check.jsonl'))
write('floor', '[sources.in]\ntype = "stdin"\n' + sink('in', 'blackhole'))
PY

# user + system CPU seconds of a command and its descendants (wait4), and its wall time
cat > "$OUT/cputime.py" <<'PY'
import os, sys, time
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
open(sys.argv[1], 'w').write(f'{ru.ru_utime + ru.ru_stime:.6f} {time.monotonic() - t0:.6f}\n')
sys.exit(os.waitstatus_to_exitcode(status))
PY
V="$VECTOR --quiet --config"
declare -A CMD=(
    [cli]="${cli[*]} $F > /dev/null"
    [pipe_json]="${cli[*]} $F | $V $OUT/pipe_json.toml"
    [pipe_shipped]="${cli[*]} $F | $V $OUT/pipe_shipped.toml"
    [exec_shipped]="PATH=$(dirname "$CLI"):\$PATH $V $OUT/exec_shipped.toml"
    [exec_encode]="$V $OUT/exec_encode.toml > /dev/null"
    [floor]="$V $OUT/floor.toml < $F"
)
order=(cli pipe_json pipe_shipped exec_shipped exec_encode floor)

# every line arrives, as the CLI wrote it (but for the fields Vector adds or the remap removes)
rm -f "$OUT"/*.check.jsonl
"${cli[@]}" "$F" | "$VECTOR" --quiet --config "$OUT/pipe_shipped.check.toml"
"$VECTOR" --quiet --config "$OUT/exec_shipped.check.toml"
for c in pipe exec; do
    got=$(wc -l < "$OUT/$c.check.jsonl")
    [ "$got" = "$N" ] || { echo "$c: $got documents, not $N" >&2; exit 1; }
done
echo "check: $N documents through each shipped remap" >&2
rm -f "$OUT"/*.check.jsonl

: > "$OUT/runs.tsv"
for rep in $(seq "$RUNS"); do
    for k in "${order[@]}"; do
        python3 "$OUT/cputime.py" "$OUT/$k.time" "${pin[@]}" bash -c "${CMD[$k]}"
        printf '%s\t%s\t%s\n' "$rep" "$k" "$(tr ' ' '\t' < "$OUT/$k.time")" >> "$OUT/runs.tsv"
    done
    echo "run $rep of $RUNS done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

"$VECTOR" --version
printf 'nps-enrich %s, --fields %s; %s IAS lines, documents %s bytes on average; %s runs, medians\n\n' \
    "$(git describe --always --dirty)" "$FIELDS" "$N" \
    "$("${cli[@]}" "$F" | head -n 10000 | wc -c | awk '{printf "%.0f", $1 / 10000}')" "$RUNS"
python3 - "$OUT/runs.tsv" "$N" <<'PY'
import collections, statistics as st, sys
n = int(sys.argv[2])
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, k, cpu, wall = line.split('\t')
    runs[k].append((float(cpu), float(wall)))
cli = st.median(n / c for c, _ in runs['cli'])
print('| pipeline | lines/s (wall) | lines per CPU second | CPU µs per line | of the CLI\'s lines per CPU second |')
print('|---|---|---|---|---|')
for k in ['cli', 'pipe_json', 'pipe_shipped', 'exec_shipped', 'exec_encode', 'floor']:
    w = st.median(n / w for _, w in runs[k]); c = st.median(n / c for c, _ in runs[k])
    print(f'| {k} | {w:,.0f} | {c:,.0f} | {1e6 / c:.2f} | {c / cli:.1%} |')
PY
