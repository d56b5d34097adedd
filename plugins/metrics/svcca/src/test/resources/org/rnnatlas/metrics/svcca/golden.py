# Reference SVCCA distances for SvccaMetricTest (run from this directory: python3 golden.py).
# numpy 2.4; the SVD is numpy's (LAPACK gesdd), independent of the ojAlgo/Gram-matrix path under test.
import json
import numpy as np

def make_inputs():
    """Six fixed representations (samples x units, float64, not centred) from a seeded NumPy generator."""
    rng = np.random.default_rng(20240601)
    shapes = [(8, 3), (12, 5), (20, 4), (5, 5), (16, 2)]  # (units, latent dimension)
    xs = []
    for units, dim in shapes:
        z = rng.standard_normal((300, dim)) / np.arange(1, dim + 1)
        w = rng.standard_normal((dim, units))
        x = z @ w + 0.05 * rng.standard_normal((300, units)) + 3.0 * rng.standard_normal(units)
        xs.append(x)
    # a sixth network close to the first: a rotation of its units plus a small perturbation
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    xs.append(xs[0] @ q + 0.2 * rng.standard_normal((300, 8)))
    return xs

def basis(x, threshold):
    x = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(x, full_matrices=False)
    share = np.cumsum(s ** 2) / np.sum(x ** 2)
    k = int(np.argmax(share >= threshold * (1 - 1e-12))) + 1
    return u[:, :k]

def svcca(xa, xb, threshold):
    qa, qb = basis(xa, threshold), basis(xb, threshold)
    rho = np.linalg.svd(qa.T @ qb, compute_uv=False)   # min(ka, kb) values
    return float(np.clip(1.0 - np.mean(np.minimum(rho, 1.0)), 0.0, 1.0))

xs = make_inputs()
names = []
for i, x in enumerate(xs):
    names.append(f"x{i}.npy")
    np.save(names[-1], x)
cases = []
for options, threshold in [({}, 0.95), ({"threshold": "0.99"}, 0.99), ({"threshold": "0.5"}, 0.5)]:
    pairs = [[i, j, svcca(xs[i], xs[j], threshold)] for i in range(len(xs)) for j in range(len(xs)) if i <= j]
    cases.append({"options": options, "distances": pairs})
with open("golden.json", "w") as f:
    json.dump({"inputs": names, "cases": cases}, f, indent=1)
