-- Denials by reason: events 6273 and Access-Reject lines (Packet-Type 3) by Reason-Code
-- (4142), with how many users each reason hit. The meaning is `event.reason`: the
-- reason-code table's on a log line, the server's own words on an event; the table's is
-- shown where the code has both.
SELECT "nps.reason.code" AS reason_code,
       coalesce(min("event.reason") FILTER (WHERE "event.code" IS NULL), min("event.reason")) AS reason,
       count(*) AS denials,
       count(DISTINCT "user.name") AS users
FROM logs
WHERE "event.code" = '6273' OR "event.action" = 'access-reject'
GROUP BY reason_code
ORDER BY reason_code;
