-- Sessions: the documents of one connection joined into one row, by the rule the reduce
-- transform of vector-config/vector/files-exec-sessions-to-elasticsearch.toml applies (the
-- tests check that both give the same sessions on fixtures/sessions.log).
--
-- A connection is the documents with one Acct-Session-Id (nps.acct.session_id; in events
-- the AccountSessionIdentifier, hex-decoded) from one network access server (observer.ip),
-- log lines and Security events apart (shipped together, each source makes its own
-- sessions). Session ids are reused (the guide says so), so a session starts at each
-- Access-Request line and each 6272 / 6273 / 6274 event (and at the first document of an
-- id): every other document joins the session of its id that started last before it, the
-- nearest in time (a 6276 / 6278 goes with the nearest 6272 before it).
-- Outcome and reason are the last decision's (Access-Accept / Access-Reject, 6272 / 6273 /
-- 6274); the quarantine state and the failed health items the last ones written; duration
-- and bytes the accounting Stop's (Acct-Session-Time, Acct-Input-/Output-Octets).
WITH parts AS (
  SELECT *,
         CASE WHEN "event.dataset" = 'windows.security' THEN 'events' ELSE 'log' END AS source,
         coalesce("event.action" = 'access-request' OR "event.code" IN ('6272', '6273', '6274'), false)
           AS is_start,
         coalesce("nps.acct.status_type.code" = 2, false) AS is_stop,
         coalesce("event.action" IN ('access-accept', 'access-reject')
                  OR "event.code" IN ('6272', '6273', '6274'), false)
           AS is_decision,
         list_transform(
           list_filter(
             flatten(list_transform(
               CAST(json_extract(doc, '$.nps.system_health') AS JSON[]),
               lambda h: CAST(json_extract(h, '$.items') AS JSON[]))),
             lambda i: NOT CAST(json_extract_string(i, '$.ok') AS BOOLEAN)),
           lambda i: coalesce(json_extract_string(i, '$.name'), json_extract_string(i, '$.code')))
           AS failed_items
  FROM logs
  WHERE "nps.acct.session_id" IS NOT NULL AND "observer.ip" IS NOT NULL
),
marked AS (
  SELECT *,
         is_start OR row_number() OVER w = 1 AS new_session
  FROM parts
  WINDOW w AS (PARTITION BY source, "observer.ip", "nps.acct.session_id" ORDER BY "@timestamp")
),
numbered AS (
  SELECT *,
         sum(CAST(new_session AS INTEGER)) OVER (
           PARTITION BY source, "observer.ip", "nps.acct.session_id" ORDER BY "@timestamp"
           ROWS UNBOUNDED PRECEDING) AS n
  FROM marked
)
SELECT source,
       "observer.ip" AS nas,
       "nps.acct.session_id" AS session_id,
       strftime(min("@timestamp"), '%Y-%m-%dT%H:%M:%SZ') AS start,
       strftime(max("@timestamp"), '%Y-%m-%dT%H:%M:%SZ') AS "end",
       count(*) AS documents,
       arg_min("user.name", "@timestamp") FILTER (WHERE "user.name" IS NOT NULL) AS user_name,
       arg_max("event.outcome", "@timestamp") FILTER (WHERE is_decision) AS outcome,
       arg_max("nps.reason.code", "@timestamp")
         FILTER (WHERE is_decision AND "nps.reason.code" IS NOT NULL) AS reason_code,
       arg_max("nps.quarantine.state.code", "@timestamp")
         FILTER (WHERE "nps.quarantine.state.code" IS NOT NULL) AS quarantine_state,
       arg_max(failed_items, "@timestamp") FILTER (WHERE failed_items IS NOT NULL)
         AS failed_health_items,
       max("nps.acct.session_time") AS duration,
       max("nps.acct.input_octets") AS input_octets,
       max("nps.acct.output_octets") AS output_octets,
       bool_or(is_stop) AS stopped
FROM numbered
GROUP BY source, nas, session_id, n
ORDER BY start, nas;
