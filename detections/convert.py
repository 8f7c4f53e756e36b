#!/usr/bin/env python3
"""Converts every rule in detections/sigma/ with the real pySigma backends.

    convert.py           writes detections/converted/<target>/<rule>.<ext>
    convert.py --check   fails if any file there differs from what the rules give now

Targets: Elasticsearch Lucene and ES|QL (pysigma-backend-elasticsearch), Splunk SPL
(pysigma-backend-splunk), DuckDB SQL (pysigma-backend-duckdb, the query the tests run).
Lucene has no correlations: for a correlation rule its file (`<rule>.base.lucene`) holds the
search of the base rule, to be used with a threshold rule (count, group-by field, window as
written in the Sigma file).
"""

import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sigma.backends.elasticsearch import ESQLBackend, LuceneBackend  # noqa: E402
from sigma.backends.splunk import SplunkBackend  # noqa: E402
from sigma.collection import SigmaCollection  # noqa: E402
from sigma.correlations import SigmaCorrelationRule  # noqa: E402

from pipeline.duckdb_windowed import WindowedDuckDBBackend  # noqa: E402
from pipeline.nps_enrich import nps_enrich_pipeline  # noqa: E402

RULES = HERE / "sigma"
OUT = HERE / "converted"
TARGETS = {
    "elasticsearch-lucene": (LuceneBackend, "lucene"),
    "elasticsearch-esql": (ESQLBackend, "esql"),
    "splunk": (SplunkBackend, "spl"),
    "duckdb": (WindowedDuckDBBackend, "sql"),
}


def rule_files():
    return sorted(RULES.glob("*.yml"))


def load(path):
    collection = SigmaCollection.from_yaml(path.read_text(encoding="utf-8"))
    if collection.errors:
        raise SystemExit(f"{path.name}: {collection.errors}")
    return collection


def is_correlation(collection):
    return any(isinstance(r, SigmaCorrelationRule) for r in collection.rules)


def convert(path, target):
    backend_class, ext = TARGETS[target]
    collection = load(path)
    name = path.stem
    if target == "elasticsearch-lucene" and is_correlation(collection):
        # The base rule alone (in the correlation's file it is not output by itself).
        docs = yaml.safe_load_all(path.read_text(encoding="utf-8"))
        collection = SigmaCollection.from_dicts([d for d in docs if "correlation" not in d])
        name += ".base"
    queries = backend_class(nps_enrich_pipeline()).convert(collection)
    if len(queries) != 1:
        raise SystemExit(f"{path.name}: {target} gave {len(queries)} queries, expected 1")
    return f"{name}.{ext}", queries[0].rstrip("\n") + "\n"


def generate():
    files = {}
    for path in rule_files():
        for target in TARGETS:
            fname, text = convert(path, target)
            files[OUT / target / fname] = text
    return files


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] not in ([], ["--check"]):
        raise SystemExit(__doc__)
    files = generate()
    on_disk = {p for t in TARGETS for p in (OUT / t).glob("*") if p.is_file()}
    if check:
        stale = [p for p, text in files.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        extra = sorted(on_disk - set(files))
        for p in stale:
            print(f"stale: {p.relative_to(HERE)}")
        for p in extra:
            print(f"not made by any rule: {p.relative_to(HERE)}")
        if stale or extra:
            print("detections/converted/ is not current: run detections/convert.py")
            return 1
        print(f"converted queries current ({len(files)} files)")
        return 0
    for p in on_disk - set(files):
        p.unlink()
    for p, text in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {OUT.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
