-- POSTs one token request per call; BENCH_CLIENT_ID and BENCH_CLIENT_SECRET choose the credentials, or BENCH_BODY
-- gives the whole form (Keycloak's password grant, bench/keycloak.sh).
-- At the end prints "statuses: <code>=<count> ..." over all threads.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("BENCH_BODY") or ("grant_type=client_credentials&client_id=" .. os.getenv("BENCH_CLIENT_ID")
    .. "&client_secret=" .. os.getenv("BENCH_CLIENT_SECRET"))

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    statuses = {}
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        local counts = thread:get("statuses")
        for status, count in pairs(counts) do
            total[status] = (total[status] or 0) + count
        end
    end
    local line = "statuses:"
    for status, count in pairs(total) do
        line = line .. " " .. status .. "=" .. count
    end
    print(line)
end
