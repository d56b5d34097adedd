# Reference angular Procrustes distances for ProcrustesMetricTest (run from this directory: python3 golden.py).
# numpy 2.4, scipy 1.17. The alignment is scipy.linalg.orthogonal_procrustes on explicitly zero-padded matrices;
# its returned scale is the sum of the singular values of A^T B (the nuclear norm).
import json
import numpy as np
from scipy.linalg import orthogonal_procrustes

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

def shape(x, width):
    x = x - x.mean(axis=0)
    x = x / np.linalg.norm(x)
    return np.hstack([x, np.zeros((x.shape[0], width - x.shape[1]))])

def procrustes(xa, xb):
    width = max(xa.shape[1], xb.shape[1])
    a, b = shape(xa, width), shape(xb, width)
    r, nuclear = orthogonal_procrustes(b, a)           # argmin_R ||b R - a||_F, nuclear = sum sv(b^T a)
    # cross-check the nuclear norm against the aligned inner product tr(a^T b R)
    assert abs(np.trace(a.T @ b @ r) - nuclear) < 1e-12
    return float(np.arccos(np.clip(nuclear, 0.0, 1.0)) / (np.pi / 2))

xs = make_inputs()
names = []
for i, x in enumerate(xs):
    names.append(f"x{i}.npy")
    np.save(names[-1], x)
pairs = [[i, j, procrustes(xs[i], xs[j])] for i in range(len(xs)) for j in range(len(xs)) if i <= j]
with open("golden.json", "w") as f:
    json.dump({"inputs": names, "cases": [{"options": {}, "distances": pairs}]}, f, indent=1)
