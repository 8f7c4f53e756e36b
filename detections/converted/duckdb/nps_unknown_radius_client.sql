SELECT * FROM logs WHERE "event.dataset"='windows.system' AND ("event.module"='nps' AND "event.code"='13')
