-- Events (イベント): the NPS Security events by id (6272 granted, 6273 denied, 6274
-- discarded, 6276 quarantined, 6277 probation, 6278 full access, 6279 locked, 6280 unlocked),
-- how many and for how many users.
SELECT "event.code" AS event_id,
       "event.action" AS action,
       count(*) AS events,
       count(DISTINCT "user.name") AS users
FROM logs
WHERE "event.module" = 'nps' AND "event.dataset" = 'windows.security'
GROUP BY ALL
ORDER BY event_id;
