SELECT * FROM logs WHERE "event.module"='ipsec' AND ("event.code"='5479' OR "event.code"='5480' OR "event.code"='5483' OR "event.code"='5484' OR "event.code"='5485')
