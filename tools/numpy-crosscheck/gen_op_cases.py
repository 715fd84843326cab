import numpy as np, json
rng = np.random.default_rng(5)
cases, expect = [], []
def spec(a):
    a = np.asarray(a); dt = str(a.dtype)
    if dt == 'float32':
        data = [np.format_float_positional(x, unique=True) if np.isfinite(x) else repr(float(x)) for x in a.ravel()]
    else:
        data = [repr(x) if dt.startswith('float') else str(x) for x in a.ravel().tolist()]
    return {"dtype": dt, "shape": list(a.shape), "data": data}
def res(r):
    r = np.asarray(r)
    if r.ndim == 0:
        v = r.item()
        if isinstance(v, bool): s = str(v)
        elif isinstance(v, int): s = str(v)
        else:
            s = repr(float(np.float32(v))) if r.dtype == np.float32 else repr(v)
            if r.dtype == np.float32: s = repr(float(str(np.float32(v))))
        return f"{r.dtype}|{s}"
    return repr(r)
def gen(dt, shape):
    if dt == 'bool': return rng.random(shape) < 0.5
    if dt.startswith('int'): return rng.integers(-9, 10, shape).astype(dt)
    return (rng.normal(0, 3, shape)).round(2).astype(dt)
dts = ['bool', 'int32', 'int64', 'float32', 'float64']
ops = ['+', '-', '*', '/', '//', '%', '**', '&', '|', '^']
pyops = {'+': lambda a, b: a + b, '-': lambda a, b: a - b, '*': lambda a, b: a * b, '/': lambda a, b: a / b,
         '//': lambda a, b: a // b, '%': lambda a, b: a % b, '**': lambda a, b: a ** b, '&': lambda a, b: a & b,
         '|': lambda a, b: a | b, '^': lambda a, b: a ^ b, '@': lambda a, b: a @ b,
         '==': lambda a, b: a == b, '!=': lambda a, b: a != b, '<': lambda a, b: a < b, '<=': lambda a, b: a <= b,
         '>': lambda a, b: a > b, '>=': lambda a, b: a >= b}
def run(case, f):
    with np.errstate(all='ignore'):
        try: return res(f())
        except Exception: return "ERR"
for da in dts:
    for db in dts:
        for op in ops:
            a = gen(da, (2, 3)); b = gen(db, (3,))
            if op == '**' and db.startswith('int'): b = np.abs(b) % 4
            if op == '**' and db.startswith('float'): a = np.abs(a) if da.startswith('float') else a
            cases.append({"kind": "bin", "op": op, "a": spec(a), "b": spec(b)}); expect.append(run(None, lambda: pyops[op](a, b)))
    for sk, sv in [('int', 3), ('float', 2.5), ('bool', True), ('int', -2), ('float', 0.5), ('int', 2), ('int', 0), ('float', 2.0)]:
        for op in ops + ['==', '<', '>=']:
            for left in [False, True]:
                a = gen(da, (4,))
                if op == '**' and da.startswith('float') and not left: a = np.abs(a)
                f = (lambda: pyops[op](sv, a)) if left else (lambda: pyops[op](a, sv))
                kind = "cmp" if op in ('==', '<', '>=') else "bin"
                cases.append({"kind": kind, "op": op, "a": spec(a), "b": {"scalar": sk, "value": str(sv)}, "left": left}); expect.append(run(None, f))
for da in dts:
    for db in dts:
        for op in ['==', '!=', '<', '<=', '>', '>=']:
            a = gen(da, (3, 1)); b = gen(db, (1, 4))
            cases.append({"kind": "cmp", "op": op, "a": spec(a), "b": spec(b)}); expect.append(run(None, lambda: pyops[op](a, b)))
        a = gen(da, (2, 3)); b = gen(db, (3, 2))
        cases.append({"kind": "bin", "op": "@", "a": spec(a), "b": spec(b)}); expect.append(run(None, lambda: a @ b))
    for u in ['negative', 'absolute', 'invert', 'exp', 'sqrt', 'floor', 'sign', 'square', 'isnan']:
        a = gen(da, (5,))
        if u == 'sqrt': a = np.abs(a)
        cases.append({"kind": "unary", "op": u, "a": spec(a)}); expect.append(run(None, lambda: getattr(np, u)(a)))
    for red in ['sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'argmin', 'argmax', 'any', 'all']:
        for axis in [None, [0], [1], [2], [0, 2], [1, 2]]:
            for keep in [False, True]:
                if red.startswith('arg') and (keep or (axis is not None and len(axis) > 1)): continue
                a = gen(da, (2, 3, 4))
                ddof = 1 if red in ('var', 'std') and keep else 0
                ax = None if axis is None else tuple(axis)
                kw = {"axis": ax if not red.startswith('arg') else (None if ax is None else ax[0]), "keepdims": keep} if not red.startswith('arg') else {"axis": None if ax is None else ax[0]}
                if ddof: kw["ddof"] = ddof
                cases.append({"kind": "reduce", "op": red, "a": spec(a), "axis": axis, "keepdims": keep, "ddof": ddof})
                expect.append(run(None, lambda: getattr(np, red)(a, **kw)))
json.dump(cases, open('ops.json', 'w')); json.dump(expect, open('ops_expect.json', 'w'))
print(len(cases))

# indexing: ints, slices with any step, newaxis, ellipsis, one list or mask
def rand_item(n):
    r = rng.random()
    if r < 0.25:
        return {"t": "int", "v": int(rng.integers(-n - 1, n + 1))}, None
    if r < 0.75:
        def o():
            return None if rng.random() < 0.3 else int(rng.integers(-n - 3, n + 3))
        st = None if rng.random() < 0.3 else int(rng.choice([-3, -2, -1, 1, 2, 3]))
        s = {"t": "slice", "start": o(), "stop": o(), "step": st}
        return s, slice(s["start"], s["stop"], s["step"])
    return None, None
for trial in range(400):
    shape = tuple(int(x) for x in rng.integers(1, 7, int(rng.integers(1, 4))))
    a = np.arange(int(np.prod(shape))).reshape(shape)
    items, pyitems = [], []
    fancy_used = False
    for ax, n in enumerate(shape):
        if rng.random() < 0.15:
            items.append({"t": "newaxis"}); pyitems.append(None)
        if not fancy_used and rng.random() < 0.2:
            fancy_used = True
            if rng.random() < 0.5:
                v = [int(x) for x in rng.integers(-n, n, int(rng.integers(0, 4)))]
                items.append({"t": "list", "v": v}); pyitems.append(v)
            else:
                v = [bool(x) for x in rng.random(n) < 0.5]
                items.append({"t": "mask", "v": v}); pyitems.append(np.array(v, dtype=bool))
            continue
        it, py = rand_item(n)
        if it is None:
            continue
        items.append(it); pyitems.append(py if py is not None else it["v"])
    if rng.random() < 0.2:
        k = int(rng.integers(0, len(items) + 1))
        items.insert(k, {"t": "ellipsis"}); pyitems.insert(k, Ellipsis)
    cases.append({"kind": "index", "a": spec(a), "items": items})
    expect.append(run(None, lambda: a[tuple(pyitems)]))
json.dump(cases, open('ops.json', 'w')); json.dump(expect, open('ops_expect.json', 'w'))
print(len(cases))
