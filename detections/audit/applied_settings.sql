-- Applied NAP settings (適用された NAP 設定): the RADIUS client (Client-Friendly-Name 4128,
-- observer.name; its address observer.ip), the network policy (NP-Policy-Name 4149), the
-- connection request policy (Proxy-Policy-Name 4154) and the enforcement point
-- (MS-Network-Access-Server-Type 8132) of each NAP decision.
SELECT strftime("@timestamp", '%Y-%m-%dT%H:%M:%SZ') AS time,
       "event.dataset" AS dataset,
       "observer.name" AS radius_client,
       "observer.ip" AS radius_client_ip,
       "rule.name" AS network_policy,
       "rule.ruleset" AS connection_request_policy,
       "nps.enforcement.type" AS enforcement
FROM logs
WHERE "nps.quarantine.state.code" IS NOT NULL
ORDER BY time, dataset;
