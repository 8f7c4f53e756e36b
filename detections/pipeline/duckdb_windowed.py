"""pySigma's DuckDB backend (pysigma-backend-duckdb), with correlation timespans applied.

The published backend's event_count and value_count templates group by the group-by fields
only and leave the rule's timespan out, so "5 failures in 10 minutes" would count a whole
day. This subclass changes those two templates only: it adds a tumbling time bucket of the
rule's timespan on `@timestamp` to the GROUP BY, which is what the Splunk backend
(`bin _time span=...`) and the ES|QL backend (`date_trunc(...)`) convert a timespan to, so
the query the test runs counts the way the shipped SIEM queries count.
"""

from sigma_backend_duckdb import DuckDBBackend

_BUCKET = "time_bucket(INTERVAL '{timespan} seconds', \"@timestamp\") AS timebucket"
_WINDOWED = (
    "SELECT {select_fields}, " + _BUCKET + "{aggregate} FROM ({search}) AS subquery"
    "{groupby}, timebucket HAVING {condition}"
)


class WindowedDuckDBBackend(DuckDBBackend):
    name = "DuckDB backend with correlation timespans"
    timestamp_field = '"@timestamp"'
    event_count_correlation_query = {"default": _WINDOWED}
    value_count_correlation_query = {"default": _WINDOWED}
