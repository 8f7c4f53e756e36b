SELECT * FROM logs WHERE "event.module"='ipsec' AND ("event.code"='4961' OR "event.code"='4962' OR "event.code"='4963')
