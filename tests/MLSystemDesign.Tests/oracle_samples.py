"""The samples the fixture scripts describe by a spec, shared by make_drift_fixtures.py and make_experiment_fixtures.py.

SplitMix64 and exactly-rounded arithmetic only, so the C# tests rebuild every sample bit for bit
(tests/MLSystemDesign.Testing/Oracles/OracleSamples.cs); the fixtures store the specs, not the values.
"""
import math

import numpy as np

MASK = (1 << 64) - 1


def splitmix(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield (z ^ (z >> 31)) & MASK


def uniform(gen):
    """A uniform in [0, 1) from the 53 high bits of the next output."""
    return (next(gen) >> 11) * (1.0 / (1 << 53))


def sample(spec):
    """kind: bell (sum of four uniforms - 2), uniform, int (floor(u*levels)), bernoulli (u < p); then *scale+shift."""
    gen = splitmix(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        if spec["kind"] == "bell":
            s = 0.0
            for _ in range(4):
                s += uniform(gen)
            out.append((s - 2.0) * spec["scale"] + spec["shift"])
        elif spec["kind"] == "uniform":
            out.append(uniform(gen) * spec["scale"] + spec["shift"])
        elif spec["kind"] == "int":
            out.append(float(math.floor(uniform(gen) * spec["levels"])) * spec["scale"] + spec["shift"])
        elif spec["kind"] == "bernoulli":
            out.append((1.0 if uniform(gen) < spec["p"] else 0.0) * spec["scale"] + spec["shift"])
        else:
            raise ValueError(spec["kind"])
    return np.array(out)


def spec(seed, n, kind="bell", scale=1.0, shift=0.0, levels=10, p=None):
    s = {"seed": seed, "n": n, "kind": kind, "scale": scale, "shift": shift, "levels": levels}
    if p is not None:
        s["p"] = p
    return s
