//! The modules `import` reaches (issue 11): the pure-Python ones against CPython, and
//! rask's own (`dask.diagnostics`, `dask.config`, `get=`, `x.dask`, `IPython.display`)
//! by what they must do. Modules are reached through `__import__`, which is what the
//! `import` statement compiles to, so these run whatever the statement's state.

mod common;
use common::*;

/// Run `code` with python3 and with rask; both must print the same.
fn same_as_python(code: &str) {
    let py = std::process::Command::new("python3")
        .arg("-c")
        .arg(code)
        .current_dir(root())
        .output()
        .expect("run python3");
    assert!(
        py.status.success(),
        "python3 failed on:\n{}\n{}",
        code,
        text(&py.stderr)
    );
    let out = rask(&["-c", code]);
    assert_eq!(
        text(&out.stdout),
        text(&py.stdout),
        "rask and python3 differ on:\n{}\nrask stderr: {}",
        code,
        text(&out.stderr)
    );
    assert!(
        out.status.success(),
        "rask failed on:\n{}\n{}",
        code,
        text(&out.stderr)
    );
}

/// Run `code` in rask; it must succeed. Returns stdout.
fn ok(code: &str) -> String {
    let out = rask(&["-c", code]);
    assert!(
        out.status.success(),
        "rask failed on:\n{}\nstdout: {}\nstderr: {}",
        code,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Run `code` in rask; it must fail. Returns stdout + stderr.
fn fails(code: &str) -> String {
    let out = rask(&["-c", code]);
    assert!(!out.status.success(), "rask should fail on:\n{}", code);
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn math_like_python() {
    same_as_python(
        "math = __import__('math')\n\
         print(math.sqrt(2), math.floor(-2.5), math.ceil(2.1), math.trunc(-3.7))\n\
         print(math.log(100, 10), math.log10(1000), math.log(math.e), math.exp(1))\n\
         print(math.pi, math.e, math.tau, math.inf, -math.inf)\n\
         print(math.isnan(math.nan), math.isinf(math.inf), math.isfinite(1.0))\n\
         print(math.fabs(-3), math.pow(2, 10), math.hypot(3, 4), math.atan2(1, 1))\n\
         print(math.fsum([0.1] * 10), sum([0.1] * 10))\n\
         print(math.gcd(12, 18), math.gcd(), math.lcm(4, 6), math.factorial(25))\n\
         print(math.comb(50, 25), math.perm(5, 2), math.perm(5), math.isqrt(10 ** 20 + 1))\n\
         print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.prod([1, 2, 3, 4]))\n\
         print(math.sin(0), math.cos(0), math.degrees(math.pi), math.radians(180))\n\
         print(math.modf(3.5), math.copysign(1, -0.0), math.fmod(7, -3))\n\
         print(math.floor(3), math.log2(8), math.log1p(0), math.expm1(0))",
    );
}

#[test]
fn math_errors_are_pythons() {
    let e = fails("math = __import__('math')\nmath.sqrt(-1)");
    assert!(e.contains("ValueError: math domain error"), "{}", e);
    let e = fails("math = __import__('math')\nmath.exp(1000)");
    assert!(e.contains("OverflowError: math range error"), "{}", e);
    let e = fails("math = __import__('math')\nmath.factorial(-1)");
    assert!(
        e.contains("factorial() not defined for negative values"),
        "{}",
        e
    );
    let e = fails("math = __import__('math')\nmath.floor(math.inf)");
    assert!(e.contains("OverflowError"), "{}", e);
}

#[test]
fn os_path_like_python() {
    same_as_python(
        "os = __import__('os')\n\
         print(os.path.join('data', 'accounts.*.json.gz'), os.path.join('a/', 'b', '/c', 'd'))\n\
         print(os.path.basename('/x/y.csv'), os.path.dirname('/x/y.csv'), os.path.dirname('y'))\n\
         print(os.path.splitext('data/x.tar.gz'), os.path.splitext('.bashrc'), os.path.split('a/b/'))\n\
         print(os.path.exists('Cargo.toml'), os.path.exists('no/such'), os.path.isdir('src'))\n\
         print(os.path.isfile('Cargo.toml'), os.path.isfile('src'), os.path.getsize('Cargo.toml'))\n\
         print(os.path.abspath('src/../Cargo.toml') == os.path.join(os.getcwd(), 'Cargo.toml'))\n\
         print(os.path.normpath('a//b/./../c'), os.sep, repr(os.linesep))\n\
         print(sorted(os.listdir('tests/common')), os.cpu_count() == __import__('multiprocessing').cpu_count())",
    );
}

#[test]
fn os_errors_name_the_path() {
    let e = fails("os = __import__('os')\nos.listdir('no/such/dir')");
    assert!(
        e.contains("FileNotFoundError: [Errno 2] No such file or directory: 'no/such/dir'"),
        "{}",
        e
    );
}

#[test]
fn glob_sorted() {
    let out = ok(
        "glob = __import__('glob')\nprint(sorted(glob.glob('tests/common/*.rs')), glob.glob('no/*.x'))",
    );
    assert_eq!(out, "['tests/common/mod.rs', 'tests/common/pty.rs'] []\n");
}

#[test]
fn itertools_like_python() {
    same_as_python(
        "it = __import__('itertools')\n\
         print(list(it.chain([1, 2], (3,), 'ab')), list(it.chain.from_iterable([[1], [2, 3]])))\n\
         print(list(it.islice(range(10), 3)), list(it.islice(range(10), 2, 8, 3)), list(it.islice('abc', None)))\n\
         print(list(it.product('ab', [0, 1])), list(it.product([0, 1], repeat=2)))\n\
         print(list(it.permutations([1, 2, 3], 2)), list(it.combinations('abcd', 2)))\n\
         print(list(it.combinations_with_replacement([1, 2], 2)), list(it.permutations([])))\n\
         print([(k, list(g)) for k, g in it.groupby('aabbbc')])\n\
         print([(k, list(g)) for k, g in it.groupby([1, 3, 2, 4, 5], key=lambda x: x % 2)])\n\
         print(list(it.accumulate([1, 2, 3, 4])), list(it.accumulate([1, 2, 3], lambda a, b: a * b, initial=10)))\n\
         print(list(it.repeat('x', 3)), list(it.zip_longest([1, 2, 3], 'ab', fillvalue='-')))\n\
         print(list(it.starmap(pow, [(2, 3), (3, 2)])), list(it.takewhile(lambda x: x < 3, [1, 2, 5, 1])))\n\
         print(list(it.dropwhile(lambda x: x < 3, [1, 2, 5, 1])), list(it.filterfalse(None, [0, 1, '', 'a'])))\n\
         print(list(it.compress('abcdef', [1, 0, 1, 0, 1, 1])), list(it.pairwise([1, 2, 3])))",
    );
}

#[test]
fn operator_and_functools_like_python() {
    same_as_python(
        "op = __import__('operator')\n\
         ft = __import__('functools')\n\
         print(op.add(1, 2), op.sub(5, 3), op.mul('ab', 2), op.truediv(7, 2), op.floordiv(7, 2), op.mod(-7, 3))\n\
         print(op.pow(2, 100), op.neg(3), op.not_(0), op.truth([]), op.eq(1, 1.0), op.lt('a', 'b'))\n\
         print(op.getitem([5, 6, 7], 1), op.contains([1, 2], 2), op.concat([1], [2]), op.abs(-2))\n\
         print(op.itemgetter(1)([4, 5, 6]), op.itemgetter(0, 2)('xyz'), op.itemgetter('a')({'a': 9}))\n\
         print(sorted([(1, 'b'), (0, 'c'), (2, 'a')], key=op.itemgetter(1)))\n\
         print(op.methodcaller('upper')('abc'), op.methodcaller('replace', 'a', 'b')('banana'))\n\
         print(ft.reduce(op.add, [1, 2, 3, 4]), ft.reduce(op.mul, range(1, 6), 1))\n\
         p = ft.partial(pow, 2)\n\
         print(p(10), list(map(p, [1, 2, 3])), p.args)\n\
         add3 = ft.partial(lambda a, b, c=0: a + b + c, c=100)\n\
         print(add3(1, 2), add3(1, 2, c=3), ft.partial(add3, 10)(5))",
    );
}

#[test]
fn time_module() {
    let out = ok("time = __import__('time')\n\
                  t0 = time.perf_counter()\n\
                  time.sleep(0.05)\n\
                  d = time.perf_counter() - t0\n\
                  print(d >= 0.05, d < 5, time.time() > 1.7e9, time.monotonic() > 0)");
    assert_eq!(out, "True True True True\n");
}

#[test]
fn imports_and_their_errors() {
    let out = ok("da2 = __import__('dask.array', fromlist=['x'])\n\
                  print(da2.arange(6, chunks=3).sum().compute())\n\
                  d = __import__('dask.dataframe')\n\
                  print(d.dataframe is not None, type(d.array.ones(3, chunks=3)))\n\
                  np2 = __import__('numpy')\n\
                  print(np2.arange(3).tolist(), __import__('random_array').random_array)");
    assert_eq!(
        out,
        "15\nTrue <class 'dask.array.core.Array'>\n[0, 1, 2] <built-in function random_array>\n"
    );
    let e = fails("__import__('sklearn')");
    assert!(
        e.contains("ModuleNotFoundError: No module named 'sklearn'"),
        "{}",
        e
    );
    assert!(e.contains("dask.diagnostics"), "{}", e);
    let e = fails("__import__('math').sqrtt");
    assert!(
        e.contains("module 'math' has no attribute 'sqrtt'"),
        "{}",
        e
    );
    assert!(e.contains("did you mean 'sqrt'"), "{}", e);
}

#[test]
fn get_functions_choose_the_scheduler() {
    let out = ok("x = da.arange(10, chunks=2) ** 2\n\
                  print(x.sum().compute(get=dask.get), x.sum().compute(get=dask.threaded.get))\n\
                  print(x.sum().compute(get=dask.multiprocessing.get), dask.compute(x.sum(), get=dask.get))\n\
                  print(x.sum().compute(scheduler=dask.get))");
    assert_eq!(out, "285 285\n285 (285,)\n285\n");
    let e = fails("da.ones(3, chunks=1).compute(get=len)");
    assert!(e.contains("get"), "{}", e);
    let e = fails("dask.get({}, 'x')");
    assert!(e.contains("raw task graph"), "{}", e);
}

#[test]
fn config_set_sets_the_default_scheduler() {
    let out = ok("c = dask.config.set(scheduler='sync')\n\
                  print(dask.config.get('scheduler'))\n\
                  c.__exit__(None, None, None)\n\
                  print(dask.config.get('scheduler'))\n\
                  _ = dask.config.set(scheduler='processes')\n\
                  print(dask.config.get('scheduler'), da.arange(4, chunks=2).sum().compute())\n\
                  _ = dask.set_options(get=dask.get)\n\
                  print(dask.config.get('scheduler'))");
    assert_eq!(out, "sync\nthreads\nprocesses 6\nsync\n");
    let e = fails("dask.config.set(scheduler='gpu')");
    assert!(e.contains("unknown scheduler 'gpu'"), "{}", e);
}

#[test]
fn profiler_records_every_task() {
    for sched in ["sync", "threads", "processes"] {
        let code = format!(
            "diag = __import__('dask.diagnostics', fromlist=['Profiler'])\n\
             prof = diag.Profiler()\n\
             p = prof.__enter__()\n\
             x = da.arange(8, chunks=2).sum().compute(scheduler='{}')\n\
             prof.__exit__(None, None, None)\n\
             print(x, len(prof.results), prof.results[0].start_time <= prof.results[0].end_time)\n\
             print(type(prof.results[0]).__name__, type(prof.results[0].key).__name__)\n\
             y = da.ones(4, chunks=2).sum().compute()\n\
             print(len(prof.results))",
            sched
        );
        let out = ok(&code);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("28 "), "{}: {}", sched, out);
        let n: usize = lines[0]
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("count");
        assert!(n >= 1, "{}: {}", sched, out);
        assert!(lines[0].ends_with("True"), "{}: {}", sched, out);
        // computes after the block are not recorded
        assert_eq!(lines[2], n.to_string(), "{}: {}", sched, out);
    }
}

#[test]
fn resource_profiler_samples_during_computes() {
    let out = ok("diag = __import__('dask.diagnostics', fromlist=['x'])\n\
                  r = diag.ResourceProfiler(dt=0.01)\n\
                  _ = r.__enter__()\n\
                  x = da.random.random((2000, 2000), chunks=(500, 500)).sum().compute()\n\
                  r.__exit__(None, None, None)\n\
                  s = r.results\n\
                  print(len(s) >= 2, all(t.mem > 0 for t in s), all(t.cpu >= 0 for t in s))");
    assert_eq!(out, "True True True\n");
}

#[test]
fn progress_bar_as_context_manager() {
    // no terminal here: the bar is not drawn, and the results are the same
    let out = ok("pb = dask.diagnostics.ProgressBar()\n\
                  _ = pb.__enter__()\n\
                  print(da.arange(10, chunks=5).sum().compute())\n\
                  pb.__exit__(None, None, None)\n\
                  pb.register()\n\
                  print(da.arange(10, chunks=5).sum().compute())\n\
                  pb.unregister()\n\
                  print(pb)");
    assert_eq!(
        out,
        "45\n45\n<dask.diagnostics.progress.ProgressBar object>\n"
    );
}

#[test]
fn dask_attribute_is_the_graph() {
    let out = ok("y = da.arange(25, chunks=5) ** 2\n\
                  g = y.dask\n\
                  print(len(g), len(g.keys()), y.keys()[0] in g, type(g).__name__)\n\
                  print(all(isinstance(v, str) for v in g.values()))\n\
                  b = db.from_sequence(range(10), npartitions=2).map(lambda x: x + 1)\n\
                  print(len(b.dask) >= 2)");
    assert_eq!(out, "10 10 True dict\nTrue\nTrue\n");
}

#[test]
fn type_and_isinstance() {
    same_as_python(
        "print(type(1), type('a'), type([1]), type(None), type(1.5), type((1,)), type({}))\n\
         print(type(1).__name__, type(True).__module__, isinstance(True, int), isinstance(1, (str, float)))\n\
         print(isinstance([], (list, tuple)), isinstance(1.0, float))\n\
         print(isinstance(3, type(4)), type(len))",
    );
    let out = ok("print(type(da.ones(3, chunks=3)), type(np.ones(2)), type(db.from_sequence([1])))\n\
                  print(isinstance(np.ones(2), np.ndarray), isinstance(da.ones(2, chunks=1), da.Array))");
    assert_eq!(
        out,
        "<class 'dask.array.core.Array'> <class 'numpy.ndarray'> <class 'dask.bag.core.Bag'>\nTrue True\n"
    );
}

#[test]
fn ipython_display_objects() {
    let out = ok("d = __import__('IPython.display', fromlist=['Image'])\n\
                  i = d.Image('http://dask.pydata.org/en/latest/_images/collections-schedulers.png')\n\
                  print(i, i.url, i.format)\n\
                  s = d.SVG(url='http://example.invalid/x.svg')\n\
                  print(repr(s), s.url)\n\
                  h = d.HTML('<b>hi</b>')\n\
                  print(h.data)\n\
                  d.display(h, 3)\n\
                  print(type(i))");
    assert_eq!(
        out,
        "<IPython.core.display.Image object> http://dask.pydata.org/en/latest/_images/collections-schedulers.png png\n\
         <IPython.core.display.SVG object> http://example.invalid/x.svg\n\
         <b>hi</b>\n\
         <IPython.core.display.HTML object>\n3\n\
         <class 'IPython.core.display.Image'>\n"
    );
    let e = fails(
        "d = __import__('IPython.display', fromlist=['Image'])\nd.Image(filename='no/such.png')",
    );
    assert!(e.contains("no/such.png"), "{}", e);
}

#[test]
fn partial_and_getters_run_in_tasks() {
    for sched in ["sync", "threads", "processes"] {
        let code = format!(
            "ft = __import__('functools')\n\
             op = __import__('operator')\n\
             k = 10\n\
             def f(a, b): return a * k + b\n\
             p = ft.partial(f, 3)\n\
             b = db.from_sequence([(1, 'x'), (2, 'y'), (3, 'z')], npartitions=3)\n\
             print(b.map(op.itemgetter(1)).compute(scheduler='{s}'))\n\
             print(db.from_sequence([1, 2, 3], npartitions=3).map(p).compute(scheduler='{s}'))\n\
             print(db.from_sequence([1, 2, 3], npartitions=2).map(ft.partial(op.add, 100)).compute(scheduler='{s}'))",
            s = sched
        );
        assert_eq!(
            ok(&code),
            "['x', 'y', 'z']\n[31, 32, 33]\n[101, 102, 103]\n",
            "{}",
            sched
        );
    }
}

#[test]
fn ix_reads_as_loc_with_a_note() {
    let out = rask(&[
        "-c",
        "df = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6]})\nprint(df.ix[df.a > 1].b.sum())\nprint(df.b.ix[0])",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "11\n4\n");
    let err = text(&out.stderr);
    assert_eq!(err.matches(".ix is deprecated").count(), 1, "{}", err);
}

#[test]
fn helper_modules_import_the_generators() {
    let out = ok(
        "print(__import__('accounts').create_accounts_json, __import__('nfs').create_denormalized)",
    );
    assert_eq!(
        out,
        "<built-in function create_accounts_json> <built-in function create_denormalized>\n"
    );
}

#[test]
fn numpy_print_options() {
    // the tutorial's first cell
    let out = ok("np2 = __import__('numpy')\n\
                  np2.set_printoptions(precision=3)\n\
                  print(repr(np.array([1 / 3, 2.5])), np.get_printoptions()['precision'])");
    assert_eq!(out, "array([0.333, 2.5  ]) 3\n");
}

#[test]
fn progress_bar_takes_dasks_options() {
    let out = ok("pb = dask.diagnostics.ProgressBar(minimum=0.5, width=20)\n\
                  print(pb.minimum, pb.width, pb.dt)");
    assert_eq!(out, "0.5 20 0.1\n");
    let e = fails("dask.diagnostics.ProgressBar(width=0)");
    assert!(e.contains("width must be 1 to 1000 columns"), "{}", e);
}
