#!/usr/bin/env bash
# CPU time per record of the Fluent Bit module inside a real Fluent Bit, in the runtime it
# embeds (WAMR: interpreted, and AOT-compiled with wamrc), for every format, against peers
# measured in the same run:
#
#   null       tail -> counter, no filter: Fluent Bit's own cost (subtracted from the others)
#   lua        a Lua filter that only splits the line (IAS/ODBC at commas, DTS into
#              element/value pairs, an event record returned as it came)
#   baseline   benches/fluent-bit-baseline: parse into a serde_json::Value, add four keys,
#              write it back (the least a JSON filter does), interpreted and AOT
#   nps        nps_enrich_filter (the default compact document), interpreted and AOT
#   cli        the native CLI on the same lines (whole process, one thread)
#
#   benches/fluent-bit-wamr.sh FLUENT_BIT [WAMRC]
#
# FLUENT_BIT is a fluent-bit binary built with WASM (FLB_WASM, the default on Linux x86_64);
# WAMRC the wamrc of the same WAMR version (lib/wasm-micro-runtime-*/wamr-compiler in the
# Fluent Bit source; Fluent Bit 5.1.1 embeds WAMR 2.4.1). Without WAMRC, no AOT rows.
# Environment: RECORDS per format (default 20000), RUNS (default 5), CORES (a taskset core
# list, default: not pinned), OUT (default target/fluent-bit-wamr).
#
# CPU time is user + system of the fluent-bit process (all its threads, from wait4's
# rusage), not wall time: on a shared machine wall time measures the neighbours.
# Fixed costs (start-up, loading and instantiating the module, the exit grace) are taken out
# by also running each configuration on the first SMALL records (default 200):
#   per record = (cpu(RECORDS) - cpu(SMALL)) / (RECORDS - SMALL)
# Medians over RUNS; the runs are interleaved so that a change in the machine's load falls
# on every row. Every timed run counts its records at the output (counter), and a run of
# each module on the SMALL file must give each record the CLI's document (but for tail's
# `offset` member) and no error document, so a fast wrong answer cannot pass.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,30p "$0"; exit 2; }
FB=$(realpath "$1")
WAMRC=${2:+$(realpath "$2")}
cd "$(dirname "$0")/.."
N=${RECORDS:-20000}
S=${SMALL:-200}
RUNS=${RUNS:-5}
OUT=${OUT:-target/fluent-bit-wamr}
[ "$N" -gt "$S" ] || { echo "RECORDS must be over SMALL ($S)" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
pin=()
[ -n "${CORES:-}" ] && pin=(taskset -c "$CORES")

cargo build -q --locked --release --example gen_corpus --bin nps-enrich
cargo build -q --locked -p nps-enrich-wasm --target wasm32-wasip1 --profile wasm-fluent-bit --features fluent-bit
cargo build -q --locked -p fluent-bit-baseline --target wasm32-wasip1 --profile wasm-fluent-bit
TD=$(cargo metadata -q --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
CLI=$TD/release/nps-enrich
NPS=$TD/wasm32-wasip1/wasm-fluent-bit/nps_enrich_wasm.wasm
BASE=$TD/wasm32-wasip1/wasm-fluent-bit/fluent_bit_baseline.wasm
cp "$NPS" "$OUT/nps.wasm"
cp "$BASE" "$OUT/baseline.wasm"
modules=(nps baseline)
if [ -n "$WAMRC" ]; then
    for m in nps baseline; do
        "$WAMRC" --target="$(uname -m)" -o "$OUT/$m.aot" "$OUT/$m.wasm" > "$OUT/wamrc-$m.log" 2>&1 ||
            { cat "$OUT/wamrc-$m.log" >&2; exit 1; }
    done
    modules+=(nps_aot baseline_aot)
fi

# ---- inputs: the generated corpus for lines, the winevtlog shapes of the golden events
for k in ias odbc dts; do
    "$TD/release/examples/gen_corpus" "$k" "$N" > "$OUT/$k.big"
done
: > "$OUT/events.one"
for f in tests/golden/winevent/{grant-6272-shapes,denial-6273-shapes,nap-and-account,ipsec,layouts}.in; do
    paste -d '\t' "${f%.in}.shapes" <(grep -v '^$' "$f") | awk -F'\t' '$1 ~ /^fluentbit/ { print $2 }' >> "$OUT/events.one"
done
python3 - "$OUT/events.one" "$N" > "$OUT/events.big" <<'PY'
import itertools, sys
lines = [l for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
sys.stdout.write(''.join(itertools.islice(itertools.cycle(lines), int(sys.argv[2]))))
PY
formats=(ias odbc dts events)
for k in "${formats[@]}"; do head -n "$S" "$OUT/$k.big" > "$OUT/$k.small"; done

cat > "$OUT/split.lua" <<'LUA'
-- Only split the line: IAS and ODBC at commas (six named header fields, then the rest as a
-- list), DTS XML into element/value pairs; a record without `log` (an event) as it came.
function split(tag, timestamp, record)
  local line = record["log"]
  if type(line) ~= "string" then return 1, timestamp, record end
  local out = {}
  if string.sub(line, 1, 1) == "<" then
    for name, value in string.gmatch(line, "<([%w_]+)[^>]*>([^<]*)</") do out[name] = value end
  else
    local fields, n, start = {}, 0, 1
    while true do
      local i = string.find(line, ",", start, true)
      n = n + 1
      if i == nil then fields[n] = string.sub(line, start); break end
      fields[n] = string.sub(line, start, i - 1)
      start = i + 1
    end
    out["fields"] = fields
  end
  out["offset"] = record["offset"]
  return 1, timestamp, out
end
LUA
printf '[PARSER]\n    Name nps_event_json\n    Format json\n' > "$OUT/parsers.conf"
# user + system CPU seconds of a command and all its threads, to the microsecond (wait4)
cat > "$OUT/cputime.py" <<'PY'
import os, sys
out = open(sys.argv[1], 'w')
pid = os.fork()
if pid == 0:
    os.dup2(os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
    os.dup2(os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.execvp(sys.argv[4], sys.argv[4:])
_, status, ru = os.wait4(pid, 0)
out.write(f'{ru.ru_utime:.6f} {ru.ru_stime:.6f}\n')
sys.exit(os.waitstatus_to_exitcode(status))
PY

conf() { # FORMAT FILTER SIZE OUTPUT-BLOCK
    local k=$1 f=$2 size=$3
    printf '[SERVICE]\n    Flush 1\n    Grace 5\n    Log_Level warn\n    Parsers_File %s\n' "$OUT/parsers.conf"
    printf '[INPUT]\n    Name tail\n    Path %s\n    Tag nps.in\n    Read_From_Head On\n    Exit_On_Eof On\n' "$OUT/$k.$size"
    printf '    Offset_Key offset\n    Skip_Empty_Lines On\n    Buffer_Chunk_Size 256K\n    Buffer_Max_Size 2M\n'
    if [ "$k" = events ]; then
        printf '    Parser nps_event_json\n'
    else
        printf '[FILTER]\n    Name modify\n    Match nps.*\n    Add nps_timezone Asia/Tokyo\n'
    fi
    case $f in
        null) ;;
        lua) printf '[FILTER]\n    Name lua\n    Match nps.*\n    Script %s\n    Call split\n' "$OUT/split.lua" ;;
        *)
            local file=$OUT/${f%_aot}.wasm fn=nps_enrich_filter
            case $f in *_aot) file=$OUT/${f%_aot}.aot ;; esac
            case $f in baseline*) fn=baseline_filter ;; esac
            printf '[FILTER]\n    Name wasm\n    Match nps.*\n    WASM_Path %s\n    Function_Name %s\n' "$file" "$fn"
            printf '    Event_Format json\n    Wasm_Heap_Size 1M\n    Wasm_Stack_Size 1M\n' ;;
    esac
    printf '%s\n' "$4"
}
filters=(null lua "${modules[@]}")
counter=$'[OUTPUT]\n    Name counter\n    Match *'

# ---- correctness: each module's documents on the small files are the CLI's
for k in "${formats[@]}"; do
    tz=(--timezone Asia/Tokyo)
    "$CLI" "${tz[@]}" "$OUT/$k.small" > "$OUT/$k.cli.jsonl"
    for f in "${modules[@]}"; do
        case $f in baseline*) continue ;; esac
        conf "$k" "$f" small $'[OUTPUT]\n    Name stdout\n    Match *\n    Format json_lines\n    json_date_key false' > "$OUT/$k.$f.check.conf"
        "$FB" -c "$OUT/$k.$f.check.conf" 2> "$OUT/$k.$f.check.err" | grep '^{' > "$OUT/$k.$f.check.jsonl" || true
        python3 - "$OUT/$k.$f.check.jsonl" "$OUT/$k.cli.jsonl" "$k/$f" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
want = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
for d in got:
    d.pop('offset', None)
errors = sum('error' in d for d in got)
equal = sum(g == w for g, w in zip(got, want))
print(f'{sys.argv[3]}: {len(got)} documents, {equal} equal to the CLI\'s, {errors} error documents')
if len(got) != len(want) or errors or equal != len(want):
    sys.exit(f'{sys.argv[3]}: documents differ from the CLI\'s (see {sys.argv[1]})')
PY
    done
done

# ---- timed runs
for k in "${formats[@]}"; do
    for f in "${filters[@]}"; do
        for size in big small; do conf "$k" "$f" "$size" "$counter" > "$OUT/$k.$f.$size.conf"; done
    done
done
: > "$OUT/runs.tsv"
for rep in $(seq "$RUNS"); do
    for k in "${formats[@]}"; do
        for size in big small; do
            want=$([ $size = big ] && echo "$N" || echo "$S")
            for f in "${filters[@]}"; do
                t=$OUT/$k.$f.$size.time
                for try in 1 2 3; do
                    python3 "$OUT/cputime.py" "$t" "$OUT/$k.$f.$size.out" "$OUT/$k.$f.$size.err" "${pin[@]}" "$FB" -c "$OUT/$k.$f.$size.conf"
                    got=$(python3 -c 'import json,sys; print(sum(json.loads(l)["log_records"] for l in open(sys.argv[1]) if l.startswith("{")))' "$OUT/$k.$f.$size.out")
                    [ "$got" = "$want" ] && break
                    # Fluent Bit stops flushing when its grace period ends (seen under load):
                    # the run is not counted, and made again.
                    echo "$k $f $size: $got records reached the output, not $want (try $try of 3)" >&2
                    [ "$try" = 3 ] && exit 1
                done
                printf '%s\t%s\t%s\t%s\t%s\n' "$rep" "$k" "$f" "$size" "$(tr ' ' '\t' < "$t")" >> "$OUT/runs.tsv"
            done
            python3 "$OUT/cputime.py" "$OUT/$k.cli.$size.time" /dev/null /dev/null "${pin[@]}" "$CLI" --timezone Asia/Tokyo -j 1 "$OUT/$k.$size"
            printf '%s\t%s\tcli\t%s\t%s\n' "$rep" "$k" "$size" "$(tr ' ' '\t' < "$OUT/$k.cli.$size.time")" >> "$OUT/runs.tsv"
        done
    done
    echo "run $rep of $RUNS done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

# ---- table
"$FB" --version | head -1
[ -n "$WAMRC" ] && "$WAMRC" --version
printf 'nps-enrich %s, module %s bytes; %s records per format (%s for fixed costs), %s runs, medians\n\n' \
    "$(git describe --always --dirty)" "$(wc -c < "$OUT/nps.wasm")" "$N" "$S" "$RUNS"
python3 - "$OUT/runs.tsv" "$N" "$S" <<'PY'
import collections, statistics as st, sys
n, s = int(sys.argv[2]), int(sys.argv[3])
cpu = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    rep, k, f, size, u, sy = line.split('\t')
    cpu[(k, f)].setdefault(rep, {})[size] = float(u) + float(sy)
def per_record(k, f):
    """median and spread (min-max) of the per-record CPU time in µs"""
    xs = [(r['big'] - r['small']) / (n - s) * 1e6 for r in cpu[(k, f)].values() if 'big' in r and 'small' in r]
    return st.median(xs), min(xs), max(xs)
formats = sorted({k for k, _ in cpu}, key=['ias', 'odbc', 'dts', 'events'].index)
order = ['cli', 'null', 'lua', 'baseline', 'baseline_aot', 'nps', 'nps_aot']
print('CPU µs per record (median, min–max); the filters\' rows are minus `null` (Fluent Bit\'s own tail → counter cost)\n')
print('| format | ' + ' | '.join(f for f in order if any((k, f) in cpu for k in formats)) + ' |')
print('|---|' + '---|' * sum(any((k, f) in cpu for k in formats) for f in order))
ratios = []
for k in formats:
    null = per_record(k, 'null')[0]
    row, got = [], {}
    for f in order:
        if not any((kk, f) in cpu for kk in formats):
            continue
        if (k, f) not in cpu:
            row.append('')
            continue
        m, lo, hi = per_record(k, f)
        sub = 0 if f in ('cli', 'null') else null
        got[f] = m - sub
        row.append(f'{m - sub:.1f} ({lo - sub:.1f}–{hi - sub:.1f})')
    print(f'| {k} | ' + ' | '.join(row) + ' |')
    ratios.append((k, got))
print('\nRatios of the medians (filter cost, `null` subtracted)\n')
print('| format | nps / baseline, interpreted | nps / baseline, AOT | nps / lua, interpreted | nps / lua, AOT | AOT gain (nps interpreted / AOT) | nps AOT / CLI |')
print('|---|---|---|---|---|---|---|')
def r(a, b):
    return f'{a / b:.2f}' if a is not None and b else ''
for k, g in ratios:
    print(f"| {k} | {r(g.get('nps'), g.get('baseline'))} | {r(g.get('nps_aot'), g.get('baseline_aot'))} "
          f"| {r(g.get('nps'), g.get('lua'))} | {r(g.get('nps_aot'), g.get('lua'))} "
          f"| {r(g.get('nps'), g.get('nps_aot'))} | {r(g.get('nps_aot'), g.get('cli'))} |")
PY
