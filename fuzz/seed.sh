#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the golden inputs and the bundled samples: one file per
# line, routed to the targets whose parser it reaches. Run from anywhere; idempotent.
set -euo pipefail
cd "$(dirname "$0")"
golden=../tests/golden
corpus=corpus

put() { # target name line
    mkdir -p "$corpus/$1"
    printf '%s' "$3" > "$corpus/$1/$2"
}

n=0
for f in "$golden"/*/*.in; do
    dir=$(basename "$(dirname "$f")")
    base=$(basename "$f" .in)
    shapes="${f%.in}.shapes"
    i=0
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        [ -n "${line//[[:space:]]/}" ] || continue
        i=$((i + 1)); n=$((n + 1))
        name="$dir-$base-$i"
        put line "$name" "$line"
        # Any record as the Fluent Bit filter gets it from tail: {"log": line}.
        esc=${line//\\/\\\\}; esc=${esc//\"/\\\"}
        put fluent_bit_abi "$name" "{\"log\":\"$esc\"}"
        case "$dir" in
        ias | odbc | dts) put "$dir" "$name" "$line" ;;
        winevent) put event_xml "$name" "$line" ;;
        esac
        if [ "$dir" = dts ]; then
            shr=$(grep -o '<System-Health-Result data_type="1">[^<]*' <<<"$line" | cut -d'>' -f2- || true)
            [ -z "$shr" ] || put health_result "$name" "$shr"
            class=$(grep -o '<Class data_type="1">[^<]*' <<<"$line" | cut -d'>' -f2- || true)
            [ -z "$class" ] || put class "$name" "$class"
        fi
        if [ "$dir" = ias ]; then
            # 8124 System-Health-Result and 25 Class, as IAS writes them (no commas inside).
            shr=$(grep -oP ',8124,\K[^,]*' <<<"$line" | head -1 || true)
            [ -z "$shr" ] || put health_result "$name" "$shr"
            class=$(grep -oP ',25,\K[^,]*' <<<"$line" | head -1 || true)
            [ -z "$class" ] || put class "$name" "$class"
        fi
    done < "$f"
done
# The structure-aware event targets: template pick, event id index, then NUL-separated
# name/value pairs (0xEF 0xBF 0xBD, U+FFFD, between a name and its value).
for t in event_json_beats event_json_agents event_json_exports; do
    for pick in $(seq 0 7); do
        for id in 0 1 4 9 15; do
            mkdir -p "$corpus/$t"
            printf "\\x$(printf %02x "$pick")\\x$(printf %02x "$id")ReasonCode\xEF\xBF\xBD16\x00NASPortType\xEF\xBF\xBDWireless - IEEE 802.11\x00QuarantineState\xEF\xBF\xBDProbation" \
                > "$corpus/$t/seed-$pick-$id"
        done
    done
done
echo "seeded $n lines into $(ls "$corpus" | wc -l) corpora"
