import numpy as np, json, random, sys
rng = np.random.default_rng(0)
cases, expect = [], []
def add(a):
    a = np.asarray(a)
    dt = str(a.dtype)
    if a.ndim == 0: return
    data = [repr(x) if dt.startswith('float') else str(x) for x in a.ravel().tolist()]
    if dt == 'float32':
        data = [repr(x) for x in a.ravel().tolist()]  # python float of the f32 value, exact
        data = [np.format_float_positional(np.float32(x), unique=True) if np.isfinite(x) else repr(float(x)) for x in a.ravel()]
    cases.append({"dtype": dt, "shape": list(a.shape), "data": data})
    expect.append(repr(a))
mags = [1e-8, 1e-5, 1e-4, 1e-3, 0.1, 1, 10, 1000, 1e5, 1e7, 1e8, 1e12, 1e20, 1e300]
for trial in range(400):
    n = int(rng.choice([1, 2, 3, 5, 8, 13, 30, 100]))
    kind = rng.integers(0, 8)
    if kind == 0:
        a = rng.normal(0, float(rng.choice(mags)), n)
    elif kind == 1:
        a = rng.integers(-10**int(rng.integers(1, 12)), 10**int(rng.integers(1, 12)), n)
    elif kind == 2:
        a = rng.random(n) < 0.5
    elif kind == 3:
        a = np.round(rng.normal(0, 100, n), int(rng.integers(0, 4)))
    elif kind == 4:
        a = rng.normal(0, 1, n) * float(rng.choice(mags))
        a[rng.random(n) < 0.2] = np.nan
        a[rng.random(n) < 0.1] = -np.inf
    elif kind == 5:
        a = rng.integers(0, 5, n).astype(float) / float(rng.choice([1, 2, 4, 8, 3]))
    elif kind == 6:
        a = rng.exponential(float(rng.choice(mags)), n)
    else:
        a = rng.integers(-100, 100, n).astype(np.int32)
    if rng.random() < 0.3 and a.dtype.kind == 'f':
        a = a.astype(np.float32)
    if rng.random() < 0.3 and n in (8, 30, 100):
        a = a.reshape(int(rng.choice([2])), -1)
    if rng.random() < 0.1 and n == 100:
        a = a.reshape(5, 4, 5)
    add(a)
add(np.arange(10000.).reshape(100, 100))
add(np.arange(2000))
add(np.linspace(0, 1, 2000))
add(np.random.default_rng(1).normal(10, 0.1, (30, 40)))
add(np.random.default_rng(1).normal(10, 0.1, (3, 400, 5)).astype(np.float32))
add(np.array([np.nan, np.inf]))
add(np.array([np.nan, -np.inf, 1e-9]))
add(np.array([0.0, -0.0]))
add(np.zeros(0))
add(np.zeros((2, 0), dtype=np.int64))
add(np.array([1, 2], dtype=np.int32))
add(np.eye(3, dtype=np.float32))
add(np.array([[True, False], [False, True]]))
for x in [0.1, 1e16, 1.5e-5, 123456789.123, 1e-4, 9.999e15, 5e-324, 1.7976931348623157e308, -2.5, 1/3]:
    cases.append({"dtype": "pyfloat", "shape": [], "data": [repr(x)]}); expect.append(repr(x))
for x in rng.normal(0, 1, 200) * 10.0 ** rng.integers(-30, 30, 200):
    cases.append({"dtype": "pyfloat", "shape": [], "data": [repr(float(x))]}); expect.append(repr(float(x)))
json.dump(cases, open('fmt_cases.json', 'w'))
json.dump(expect, open('fmt_expect.json', 'w'))
print(len(cases))
extra = [np.arange(1000), np.arange(1001), np.arange(3000, dtype=np.int32).reshape(30, 100), np.random.default_rng(2).random(1500) < 0.5,
         np.random.default_rng(3).normal(0, 1e-3, (4, 300)), np.random.default_rng(4).exponential(1, 12).astype(np.float32),
         np.arange(24).reshape(2, 3, 4), np.arange(24.).reshape(2, 3, 4) / 7, np.array([[1e-10, 1.0], [np.nan, np.inf]]),
         np.array([-1.5, 2.0]), np.array([100.0, 5.0]), np.array([0.1, 0.25, 1e3]), np.array([1e3, 1e-1]), np.arange(12, dtype=np.int32).reshape(3, 4) - 6,
         np.array([999999.0, 1.0], dtype=np.float32), np.array([1e6], dtype=np.float32), np.array([99999999.0]), np.ones((2, 2, 2, 2))]
for a in extra: add(a)
json.dump(cases, open('fmt_cases.json', 'w'))
json.dump(expect, open('fmt_expect.json', 'w'))
print(len(cases))
