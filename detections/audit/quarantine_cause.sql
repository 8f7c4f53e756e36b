-- Cause of quarantine (検疫の原因): System-Health-Result (8124) / QuarantineSystemHealthResult,
-- one row per validator item that did not pass: which validator, its compliance, which item
-- (WSHV items by position: firewall, antivirus, ...; the default document names the item,
-- its position is its place in `items`), which result code.
SELECT strftime("@timestamp", '%Y-%m-%dT%H:%M:%SZ') AS time,
       "event.dataset" AS dataset,
       "event.code" AS event_id,
       json_extract_string(v.h, '$.validator_id') AS validator,
       json_extract_string(v.h, '$.compliance') AS compliance,
       CAST(w.n AS INTEGER) AS item,
       json_extract_string(v.h, '$.items[' || (w.n - 1) || '].name') AS item_name,
       json_extract_string(v.h, '$.items[' || (w.n - 1) || '].code') AS code
FROM logs,
     unnest(CAST(json_extract(doc, '$.nps.system_health') AS JSON[])) AS v(h),
     unnest(range(1, CAST(json_array_length(v.h, '$.items') AS BIGINT) + 1)) AS w(n)
WHERE NOT CAST(json_extract_string(v.h, '$.items[' || (w.n - 1) || '].ok') AS BOOLEAN)
ORDER BY time, dataset, validator, item;
