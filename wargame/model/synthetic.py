"""Generated worlds of any size, for benchmarks and property tests."""

from __future__ import annotations

import numpy as np

from wargame.model.common import STAGES
from wargame.model.scenario import Scenario


def synthetic_scenario(actors: int = 200, minerals: int = 60, seed: int = 0, teams: int = 4) -> Scenario:
    """A random but balanced world: concentrated supply, spread-out demand, a few blocs."""
    rng = np.random.default_rng(seed)
    aid = [f"a{i:03d}" for i in range(actors)]
    mid = [f"m{i:02d}" for i in range(minerals)]
    capacity, demand = [], []
    for m in mid:
        dem = rng.lognormal(0.0, 1.0, actors) * (rng.random(actors) < 0.6)
        dem[:teams] += 1.0
        total = dem.sum()
        demand.append({"mineral": m, "values": {a: round(float(v), 6) for a, v in zip(aid, dem) if v > 0},
                       "source": "generated"})
        for s in STAGES:
            share = rng.pareto(1.2, actors) * (rng.random(actors) < 0.25)
            share[rng.integers(actors)] += 1.0
            share = share / share.sum() * total * 1.15
            capacity.append({"mineral": m, "stage": s, "source": "generated",
                             "values": {a: round(float(v), 6) for a, v in zip(aid, share) if v > 0}})
    pairs = []
    for i in range(actors):
        for j in rng.choice(actors, size=min(4, actors - 1), replace=False):
            if i < j:
                pairs.append({"between": [aid[i], aid[j]], "value": round(float(rng.uniform(-0.8, 0.8)), 3)})
    blocs = [{"id": f"b{k}", "name": {"en": f"Bloc {k}", "zh": f"集团{k}"},
              "members": sorted(set(rng.choice(aid, size=max(2, actors // 8), replace=False).tolist()))}
             for k in range(4)]
    data = {
        "id": "synthetic",
        "name": {"en": "Generated world", "zh": "生成的世界"},
        "description": {"en": "A generated world for benchmarks.", "zh": "用于基准测试的生成世界。"},
        "start_year": 2026,
        "turns": 12,
        "minerals": [{"id": m, "name": {"en": m, "zh": m}, "price": round(float(rng.uniform(5, 200)), 2),
                      "price_source": "generated"} for m in mid],
        "actors": [{"id": a, "name": {"en": a, "zh": a}, "gdp": round(float(rng.uniform(0.05, 20)), 3),
                    "kind": "producer" if i % 5 == 4 else "mixed"} for i, a in enumerate(aid)],
        "teams": [{"id": f"t{k}", "name": {"en": f"Team {k}", "zh": f"队{k}"}, "actors": [aid[k]],
                   "decks": ["d"]} for k in range(teams)],
        "blocs": blocs,
        "capacity": capacity,
        "demand": demand,
        "affinity": {"default": 0.0, "pairs": pairs},
    }
    return Scenario.model_validate(data)
