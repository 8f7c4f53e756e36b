-- Client information (クライアント情報): the user and the machine of each NAP decision:
-- User-Name / SAM-Account-Name / Fully-Qualified-User-Name (user.*), Calling-Station-Id
-- (source.ip or source.mac, by enforcement type), Fully-Qualified-Machine-Name (8129),
-- MS-Machine-Name (8138). What each enforcement type can have is in the guide's table
-- (DHCP NAP: no user name, no calling station in the log line).
SELECT strftime("@timestamp", '%Y-%m-%dT%H:%M:%SZ') AS time,
       "event.dataset" AS dataset,
       "user.name" AS user_name,
       "user.domain" AS user_domain,
       "source.ip" AS station_ip,
       "source.mac" AS station_mac,
       "nps.machine.fully_qualified_name" AS machine,
       "nps.machine.name" AS ms_machine_name
FROM logs
WHERE "nps.quarantine.state.code" IS NOT NULL
ORDER BY time, dataset;
