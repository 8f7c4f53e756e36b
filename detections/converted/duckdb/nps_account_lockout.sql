SELECT * FROM logs WHERE "event.dataset"='windows.security' AND ("event.module"='nps' AND "event.code"='6279')
