-- wrk script for scripts/bench.py: posts by many signed-in people at once.
--
-- BENCH_FORM is "pain" (a pain entry, /symptoms/new/), "ceiling" (the benchmark's
-- minimal ModelForm post, /bench/add/, only routed under benchsite.settings) or "read"
-- (the same post with two small reads, /bench/add-read/).
--
-- BENCH_PEOPLE names a file with one line per person: "<sessionid> <csrf cookie> <csrf
-- form token>". With BENCH_THREADS (wrk's -t) threads, each takes every n-th person and
-- posts for them in turn, so the writers are different people writing at once, as in
-- real use. Every note starts with BENCH_TAG, so bench.py can count what was stored. A
-- 302 to a /symptoms/ page (the others: /bench/) is an acknowledged save; done() prints "ACKED <n> OTHER <n>" for bench.py to
-- compare with the rows in the database.

local tag = os.getenv("BENCH_TAG") or "bench"
local form = os.getenv("BENCH_FORM") or "pain"
local paths = { pain = "/symptoms/new/", ceiling = "/bench/add/", read = "/bench/add-read/" }
local path = paths[form]
local acked_prefix = form == "pain" and "^/symptoms/" or "^/bench/"
local people_file = os.getenv("BENCH_PEOPLE")
local count = tonumber(os.getenv("BENCH_THREADS") or "1")
local threads = {}

-- "None of these": every warning question answered no.
local signs = "&warning_signs=none&locations=lower_back_centre"

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  people = {}
  local all = {}
  for line in io.lines(people_file) do
    local session, csrf, token = line:match("^(%S+) (%S+) (%S+)$")
    if session then
      table.insert(all, { session = session, csrf = csrf, token = token })
    end
  end
  for i, person in ipairs(all) do
    if (i - 1) % count == index - 1 then
      table.insert(people, person)
    end
  end
  sent = 0
  acked = 0
  other = 0
end

function request()
  sent = sent + 1
  local person = people[(sent % #people) + 1]
  local body
  if form ~= "pain" then
    body = "csrfmiddlewaretoken=" .. person.token
      .. "&date=" .. os.date("!%Y-%m-%d")
      .. "&score=" .. (sent % 8)
      .. "&note=" .. tag .. "+" .. index .. "+" .. sent
  else
    body = "csrfmiddlewaretoken=" .. person.token
      .. "&recorded_at=" .. os.date("!%Y-%m-%dT%H:%M")
      .. "&pain=" .. (sent % 8)
      .. "&note=" .. tag .. "+" .. index .. "+" .. sent
      .. signs
  end
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. person.session .. "; csrftoken=" .. person.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-Proto"] = "https",
    ["Referer"] = "https://" .. wrk.host .. ":" .. wrk.port .. path,
  }, body)
end

function response(status, headers, body)
  -- Saved: back to the log or on to the alert page, never to the log-in page.
  local location = headers["Location"] or ""
  if status == 302 and location:find(acked_prefix) then
    acked = acked + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_acked, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_acked = total_acked + thread:get("acked")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("ACKED %d OTHER %d\n", total_acked, total_other))
end
