#!/usr/bin/env python3
"""Loads nps-enrich NDJSON into DuckDB as the table the converted queries read.

    ndjson_duckdb.py DOCS.ndjson [MORE.ndjson ...] -q QUERY.sql   prints the query's rows
    ndjson_duckdb.py ... -q audit/nps_logging_stopped.sql --as-of 2026-12-01T11:00:00Z

The table `logs` has one column per field of the output contract (docs/output.md), named as
the field (`"event.code"`, `"nps.reason.code"`), typed as the contract says (long -> BIGINT,
date -> TIMESTAMPTZ, boolean, keyword/ip/text -> VARCHAR, arrays -> VARCHAR[]), NULL where a
document does not have it, plus `doc`, the whole document as JSON (for arrays of objects such
as nps.system_health). The pySigma DuckDB backend writes `"field"` column references, so its
queries run on this table as they are.
"""

import argparse
import pathlib
import re

import duckdb

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "output.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \|.*\| ([^|]+) \|$")
SQL_TYPES = {
    "keyword": "VARCHAR", "text": "VARCHAR", "ip": "VARCHAR", "long": "BIGINT",
    "boolean": "BOOLEAN", "date": "TIMESTAMPTZ", "keyword[]": "VARCHAR[]", "ip[]": "VARCHAR[]",
    "object": "JSON", "object[]": "JSON",
}


def contract():
    """{field: (type, profiles)} from docs/output.md; wildcard rows keep their `*`."""
    fields = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line.strip())
        if m and m.group(1) != "field":
            fields[m.group(1)] = (m.group(2).strip(), m.group(3).strip())
    return fields


def compact_field(name, fields=None):
    """Whether the compact profile can write `name`: a row of its own or a `prefix.*` row."""
    fields = fields or contract()
    if name in fields:
        return "compact" in fields[name][1]
    return any(f.endswith(".*") and name.startswith(f[:-1]) and "compact" in p
               for f, (_, p) in fields.items())


def json_path(name):
    return "$." + ".".join(f'"{part}"' for part in name.split("."))


def columns(extra=()):
    fields = contract()
    arrays = [f for f, (t, _) in fields.items() if t == "object[]"]
    cols = {}
    for name, (ftype, _) in fields.items():
        if "*" in name or ftype not in SQL_TYPES:
            continue
        if any(name.startswith(a + ".") for a in arrays):
            continue  # inside an array of objects: reach it through `doc`
        cols[name] = SQL_TYPES[ftype]
    for name in extra:
        cols.setdefault(name, "VARCHAR")
    return cols


def select_list(cols):
    out = []
    for name, sql_type in cols.items():
        path = json_path(name)
        if sql_type in ("VARCHAR",):
            expr = f"json_extract_string(doc, '{path}')"
        elif sql_type == "JSON":
            expr = f"json_extract(doc, '{path}')"
        else:
            expr = f"CAST(json_extract(doc, '{path}') AS {sql_type})"
            if sql_type in ("BIGINT", "BOOLEAN", "TIMESTAMPTZ"):
                expr = f"CAST(json_extract_string(doc, '{path}') AS {sql_type})"
        out.append(f'{expr} AS "{name}"')
    return ",\n  ".join(out)


def load(con, paths, extra=(), table="logs"):
    con.execute("SET TimeZone = 'UTC'")
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(
        f"CREATE TABLE {table} AS SELECT\n  {select_list(columns(extra))},\n  doc\n"
        f"FROM (SELECT json AS doc FROM read_ndjson_objects([{files}]))"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ndjson", nargs="+")
    ap.add_argument("-q", "--query", required=True, help="a .sql file")
    ap.add_argument("--field", action="append", default=[],
                    help="another column to make (a winlog.event_data.* field)")
    ap.add_argument("--as-of", help="the time a query's now is (the DuckDB variable as_of), "
                                    "e.g. 2026-12-01T11:00:00Z")
    args = ap.parse_args()
    con = duckdb.connect()
    load(con, args.ndjson, args.field)
    if args.as_of:
        con.execute("SET VARIABLE as_of = CAST(? AS TIMESTAMPTZ)", [args.as_of])
    rel = con.sql(pathlib.Path(args.query).read_text(encoding="utf-8"))
    rel.show(max_width=200, max_rows=1000)


if __name__ == "__main__":
    main()
