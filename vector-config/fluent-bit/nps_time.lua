-- Sets each record's time to its own @timestamp (RFC 3339 with a UTC offset, as nps-enrich
-- writes it), so outputs that send the record time (Splunk HEC `time`) carry the event's
-- time, not the time Fluent Bit read the line. Records without a readable @timestamp are
-- left as they are. Written for Fluent Bit's LuaJIT (Lua 5.1: no // operator).

-- Days from 1970-01-01 to a civil date (proleptic Gregorian).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- Seconds since the epoch for "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)", or nil.
function nps_epoch(ts)
  if type(ts) ~= "string" then return nil end
  local y, mo, d, h, mi, s, frac, zone =
    ts:match("^(%d%d%d%d)-(%d%d)-(%d%d)T(%d%d):(%d%d):(%d%d)(%.?%d*)(.*)$")
  if not y then return nil end
  local t = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
    + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s)
  if zone ~= "Z" and zone ~= "" then
    local sign, zh, zm = zone:match("^([+-])(%d%d):?(%d%d)$")
    if not sign then return nil end
    local off = tonumber(zh) * 3600 + tonumber(zm) * 60
    if sign == "-" then off = -off end
    t = t - off
  end
  if frac ~= "" and frac ~= "." then t = t + tonumber("0" .. frac) end
  return t
end

-- The filter: return code 1 = time and record changed, 0 = unchanged.
function nps_event_time(tag, timestamp, record)
  local t = nps_epoch(record["@timestamp"])
  if t == nil then return 0, timestamp, record end
  return 1, t, record
end
