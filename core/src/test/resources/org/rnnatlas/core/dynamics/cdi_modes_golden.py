"""Writes cdi-modes-golden.txt: an independent NumPy reference for CdiModes (mode ablation of SPEC section 7).

Run from this directory:  python3 cdi_modes_golden.py
The inputs (J, b, w, T) are drawn here and stored in the file, so the Java test reads the same numbers; the outputs
are computed with numpy.linalg.eig (LAPACK geev) and numpy.linalg.inv, without any rnnatlas code.
"""
import numpy as np

N = 8
RADIUS = 0.98                                 # spectral radius after rescaling: modes that matter after T steps
T = 30
SEED = 20190707

rng = np.random.default_rng(SEED)
J = rng.standard_normal((N, N)) / np.sqrt(N)
J *= RADIUS / np.abs(np.linalg.eigvals(J)).max()
b = rng.standard_normal(N)
w = rng.standard_normal(N)

lam, V = np.linalg.eig(J)                     # J V = V diag(lam)
# SPEC section 5 order: |lambda| descending; a conjugate pair with the positive imaginary part first
order = sorted(range(N), key=lambda i: (-abs(lam[i]), -lam[i].imag))
lam = lam[order]
V = V[:, order]
L = np.linalg.inv(V)                          # left eigenvectors: rows of V^-1

c = (w @ V) * lam ** (T - 1) * (L @ b)        # c_i = (w r_i) lambda_i^(T-1) (l_i b); independent of V's scaling

# conjugate partners: each complex mode and the mode holding its conjugate
partner = [-1] * N
for i in range(N):
    if lam[i].imag != 0:
        j = min((j for j in range(N) if j != i), key=lambda j: abs(lam[j] - np.conj(lam[i])))
        partner[i] = j
assert any(p >= 0 for p in partner), "pick a seed whose J has a complex pair"

response = [0.0]
kept = [0]
for k in range(1, N + 1):
    keep = [i for i in range(k) if partner[i] < k]   # a pair split by the cut is dropped whole
    s = c[keep].sum() if keep else 0.0
    assert abs(np.imag(s)) < 1e-12 * max(1.0, np.abs(c).max())
    response.append(float(np.real(s)))
    kept.append(len(keep))

direct = float(w @ np.linalg.matrix_power(J, T - 1) @ b)
assert abs(direct - response[-1]) < 1e-10 * max(1.0, abs(direct))


def line(name, values):
    return name + " " + " ".join(repr(float(v)) for v in np.ravel(values)) + "\n"


with open("cdi-modes-golden.txt", "w") as f:
    f.write("# CdiModes golden case, written by cdi_modes_golden.py (NumPy %s, seed %d)\n" % (np.__version__, SEED))
    f.write("n %d\n" % N)
    f.write("steps %d\n" % T)
    f.write(line("jacobian", J))
    f.write(line("b", b))
    f.write(line("w", w))
    f.write(line("eigen_real", lam.real))
    f.write(line("eigen_imag", lam.imag))
    f.write(line("response", response))
    f.write("modes_kept " + " ".join(str(k) for k in kept) + "\n")
    f.write(line("direct", [direct]))
