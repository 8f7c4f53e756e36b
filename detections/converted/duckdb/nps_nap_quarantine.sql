SELECT * FROM logs WHERE "event.module"='nps' AND (("event.code"='6276' OR "event.code"='6277') OR ("nps.quarantine.state.code"=1 OR "nps.quarantine.state.code"=2))
