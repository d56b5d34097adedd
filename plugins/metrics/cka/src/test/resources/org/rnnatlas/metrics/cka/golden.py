# Reference CKA distances for CkaMetricTest (run from this directory: python3 golden.py).
# numpy 2.4. Computed from the n x n Gram matrices K = X X^T themselves (n = 300), the textbook definitions,
# sharing nothing with the low-rank (P = X V_r) and row-norm forms under test.
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

def gram(x):
    x = x - x.mean(axis=0)
    return x @ x.T

def hsic_biased(k, l):
    return np.sum(k * l)                       # <K, L>_F on centred features (the 1/(n-1)^2 cancels in CKA)

def hsic_unbiased(k, l):                       # Song et al. (2012), eq. (5)
    n = k.shape[0]
    kt = k - np.diag(np.diag(k))
    lt = l - np.diag(np.diag(l))
    one = np.ones(n)
    return (np.trace(kt @ lt) + (one @ kt @ one) * (one @ lt @ one) / ((n - 1) * (n - 2))
            - 2.0 / (n - 2) * (one @ kt @ lt @ one)) / (n * (n - 3))

def cka(xa, xb, estimator, form):
    k, l = gram(xa), gram(xb)
    h = hsic_biased if estimator == "biased" else hsic_unbiased
    c = float(np.clip(h(k, l) / np.sqrt(h(k, k) * h(l, l)), 0.0, 1.0))
    return 1.0 - c if form == "linear" else float(np.arccos(c) / (np.pi / 2))

xs = make_inputs()
names = []
for i, x in enumerate(xs):
    names.append(f"x{i}.npy")
    np.save(names[-1], x)
cases = []
settings = [({}, "biased", "linear"),                                   # default: truncated, within errorBound()
            ({"tolerance": "0"}, "biased", "linear"),
            ({"form": "angular"}, "biased", "angular"),                 # truncated, within errorBound()
            ({"form": "angular", "tolerance": "0"}, "biased", "angular"),
            ({"estimator": "debiased"}, "debiased", "linear"),
            ({"estimator": "debiased", "form": "angular"}, "debiased", "angular")]
for options, estimator, form in settings:
    pairs = [[i, j, cka(xs[i], xs[j], estimator, form)] for i in range(len(xs)) for j in range(len(xs)) if i <= j]
    cases.append({"options": options, "distances": pairs})
with open("golden.json", "w") as f:
    json.dump({"inputs": names, "cases": cases}, f, indent=1)
