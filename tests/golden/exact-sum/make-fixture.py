# Correctly rounded sums of awkward doubles, from Python's math.fsum (Shewchuk's
# algorithm with a correctly rounded result), the reference for src/lib/stats/exactSum.ts.
# Run: python3 tests/golden/exact-sum/make-fixture.py > tests/golden/exact-sum/fsum.json
import json, math, random

random.seed(20261202)
cases = []
def case(name, xs):
    # repr round-trips every double exactly; JSON numbers parsed by JS do too.
    cases.append({"name": name, "terms": [repr(x) for x in xs], "fsum": repr(math.fsum(xs)), "naive": repr(sum(xs))})

case("cancellation", [1e100, 1.0, -1e100, 1e-16])
case("tenths", [0.1] * 10)
case("half-way rounding", [1.0, 1e-16, 1e-16])
case("half-even", [2.0 ** 53, 1.0, 2.0 ** -60])
case("alternating", [(-1) ** k * (1.0 / (k + 1)) for k in range(1000)])
case("wide exponents", [random.uniform(-1, 1) * 10 ** random.randint(-20, 20) for _ in range(2000)])
case("trial means", [random.gauss(-1.2, 0.8) for _ in range(5000)])
case("near overflow", [1.7e308, -1.7e308, 1.0])
print(json.dumps(cases, indent=1))
