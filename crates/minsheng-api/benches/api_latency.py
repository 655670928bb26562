"""Latency of minsheng's POST /api/v1/calculate for the household of the OpenFisca
harness (../shared/bench/openfisca/api_latency.py): two earners (12,000 and 3,000 a
month) and a child, asking the income tax, the household's disposable income and 低保,
with the same client (urllib, one request at a time, a new connection each), so the
two servers are measured alike.

Start the server first:  minsheng serve --addr 127.0.0.1:8080 (MINSHENG_LOG=warn to log less)
Usage: python3 api_latency.py [n_requests] [url]"""
import json, statistics, sys, time, urllib.request

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
URL = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080"
request = {
    "situation": {
        "year": 2024,
        "persons": {
            "a": {"birth_date": "1985-01-01", "wage": {"2024-01..2024-12": 12000}, "insured": {"2024": False}},
            "b": {"birth_date": "1987-01-01", "wage": {"2024-01..2024-12": 3000}, "insured": {"2024": False}},
            "c": {"birth_date": "2018-01-01"},
        },
        "households": {"h": {"members": ["a", "b", "c"]}},
    },
    "outputs": ["iit.total", "household.disposable_income", "assistance.dibao_annual"],
}


def post(body):
    req = urllib.request.Request(URL + "/api/v1/calculate", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


doc = post(request)
print(json.dumps({"iit": doc["persons"]["a"]["figures"]["baseline"]["iit.total"],
                  "household": doc["households"]["h"]["figures"]["baseline"]}, ensure_ascii=False))
for name, body in [("calculate", request), ("calculate+explain", dict(request, explain=[{"variable": "iit.total", "entity": "a"}]))]:
    for _ in range(50):
        post(body)
    lat = []
    for _ in range(N):
        t = time.perf_counter()
        post(body)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    print(json.dumps({"endpoint": name, "n": N, "p50_ms": round(statistics.median(lat), 2),
                      "p95_ms": round(lat[int(0.95 * N) - 1], 2), "mean_ms": round(statistics.mean(lat), 2),
                      "req_per_s_sequential": round(1000 / statistics.mean(lat), 1)}))
