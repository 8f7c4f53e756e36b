-- Denials by reason: events 6273 and Access-Reject lines (Packet-Type 3) by Reason-Code
-- (4142; the reason-code table), with how many users each reason hit.
SELECT "nps.reason.code" AS reason_code,
       "nps.reason.name" AS reason,
       count(*) AS denials,
       count(DISTINCT "user.name") AS users
FROM logs
WHERE "event.code" = '6273' OR "nps.packet_type.code" = 3
GROUP BY ALL
ORDER BY reason_code;
