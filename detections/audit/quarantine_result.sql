-- Quarantine result (検疫結果): every NAP decision, with its Packet-Type (4136, as
-- `event.action`: access-accept, access-reject, ...) and
-- MS-Quarantine-State (8111: 0 full access, 1 quarantine, 2 probation), from the log files
-- and from events 6276 (quarantined), 6277 (probation), 6278 (full access).
SELECT strftime("@timestamp", '%Y-%m-%dT%H:%M:%SZ') AS time,
       "event.dataset" AS dataset,
       "event.code" AS event_id,
       CASE WHEN "event.dataset" <> 'windows.security' THEN "event.action" END AS packet_type,
       "nps.quarantine.state.code" AS state_code,
       "nps.quarantine.state.name" AS state,
       "rule.name" AS network_policy
FROM logs
WHERE "nps.quarantine.state.code" IS NOT NULL
ORDER BY time, dataset;
