#!/usr/bin/env python3
"""Wasm instructions per record: the Fluent Bit module against a baseline filter.

Both modules are run in wasmtime with fuel metering (one unit per wasm instruction, nearly
all operators), called the way Fluent Bit's filter_wasm calls them: the record body copied
into module memory with the module's malloc, the 6-argument filter called, the
NUL-terminated JSON result read back. Only the filter call is metered. The baseline
(benches/fluent-bit-baseline) parses the record into a serde_json::Value, adds four keys and
serialises it: the least a JSON filter does.

    fluent_bit_fuel.py OURS.wasm BASELINE.wasm NAME=RECORDS.jsonl...

Each RECORDS file holds one Fluent Bit record body (a JSON object) per line. Prints a
Markdown table; exits non-zero if a module returns anything but one JSON object per record,
or if ours returns an error document for a record.
"""
import json
import sys

from wasmtime import Config, Engine, Linker, Module, Store, WasiConfig

FUEL = 10**12


class Filter:
    def __init__(self, path, export):
        cfg = Config()
        cfg.consume_fuel = True
        engine = Engine(cfg)
        self.store = Store(engine)
        self.store.set_wasi(WasiConfig())
        self.store.set_fuel(FUEL)
        linker = Linker(engine)
        linker.define_wasi()
        inst = linker.instantiate(self.store, Module.from_file(engine, path))
        ex = inst.exports(self.store)
        self.malloc, self.free = ex["malloc"], ex["free"]
        self.memory, self.filter = ex["memory"], ex[export]
        if "_initialize" in ex:
            ex["_initialize"](self.store)

    def call(self, record: bytes):
        """(result text, fuel the filter call used)."""
        s = self.store
        p = self.malloc(s, len(record) + 1)
        self.memory.write(s, record + b"\0", p)
        s.set_fuel(FUEL)
        out = self.filter(s, 0, 0, 0, 0, p, len(record))
        used = FUEL - s.get_fuel()
        self.free(s, p)
        size = self.memory.data_len(s)
        chunk = self.memory.read(s, out, min(out + (1 << 20), size))
        end = chunk.index(0)
        return chunk[:end].decode("utf-8"), used


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    ours = Filter(sys.argv[1], "nps_enrich_filter")
    base = Filter(sys.argv[2], "baseline_filter")
    print("| records | count | nps-enrich instr/record | baseline instr/record | nps-enrich / baseline "
          "| nps-enrich out bytes/record | baseline out bytes/record | nps-enrich instr/out byte "
          "| baseline instr/out byte |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for arg in sys.argv[3:]:
        name, path = arg.split("=", 1)
        with open(path, "rb") as f:
            records = [l.rstrip(b"\r\n") for l in f if l.strip()]
        # One warm-up call each: first-call set-up (thread locals, zone data) is not per record.
        ours.call(records[0])
        base.call(records[0])
        totals, sizes = [0, 0], [0, 0]
        for r in records:
            for i, m in enumerate((ours, base)):
                text, used = m.call(r)
                doc = json.loads(text)
                if not isinstance(doc, dict):
                    sys.exit(f"{name}: a result is not a JSON object: {text[:200]}")
                if m is ours and "error" in doc:
                    sys.exit(f"{name}: nps-enrich refused a record: {doc['error']}")
                totals[i] += used
                sizes[i] += len(text.encode("utf-8"))
        n = len(records)
        ratio = totals[0] / totals[1]
        worst = max(worst, ratio)
        print(f"| {name} | {n} | {totals[0] // n} | {totals[1] // n} | {ratio:.2f} "
              f"| {sizes[0] // n} | {sizes[1] // n} | {totals[0] / sizes[0]:.0f} "
              f"| {totals[1] / sizes[1]:.0f} |")
    print(f"\nWorst ratio: {worst:.2f} ({'fewer' if worst < 1 else 'more'} instructions than the baseline)")


if __name__ == "__main__":
    main()
