//! Scheduler tests: every scheduler against the reference evaluator, errors, Ctrl-C and
//! releasing intermediates.

use super::plan::Plan;
use super::progress::Progress;
use super::state::ExecState;
use super::*;
use crate::graph::task::Op;
use crate::graph::testing::*;
use std::sync::RwLock;

/// The test that sets the global CANCEL flag takes this for writing; every test that
/// runs a scheduler holds it for reading, so none sees another test's Ctrl-C.
pub(crate) static CANCEL_LOCK: RwLock<()> = RwLock::new(());

pub(crate) fn no_cancel() -> std::sync::RwLockReadGuard<'static, ()> {
    CANCEL_LOCK.read().unwrap_or_else(|e| e.into_inner())
}

fn bits(chunks: &[Arc<Chunk>]) -> Vec<Vec<u64>> {
    chunks
        .iter()
        .map(|c| values(c).iter().map(|v| v.to_bits()).collect())
        .collect()
}

fn opts(s: SchedulerKind, workers: Option<usize>) -> ComputeOptions {
    ComputeOptions {
        scheduler: s,
        progress: Some(false),
        num_workers: workers,
    }
}

/// A diamond-rich graph: a chain, a shared value, and a tree reduction on top.
fn mixed_graph() -> (Graph, Vec<Key>) {
    let mut g = reduction_tree(23, 3, 500);
    add(&mut g, key("mean", 0), sum_op(), vec![key("agg", 0)]);
    for i in 0..23 {
        add(
            &mut g,
            key("chain", i),
            scale(1.0 / 3.0),
            vec![key("gen", i)],
        );
        add(
            &mut g,
            key("centered", i),
            sum_op(),
            vec![key("chain", i), key("mean", 0)],
        );
    }
    add(
        &mut g,
        key("total", 0),
        sum_op(),
        (0..23).map(|i| key("centered", i)).collect(),
    );
    (g, vec![key("total", 0), key("agg", 0), key("centered", 5)])
}

#[test]
fn all_schedulers_match_the_reference_bit_for_bit() {
    let _guard = no_cancel();
    let (g, outs) = mixed_graph();
    let layers = layers_of(&g);
    let want: Vec<Vec<u64>> = run_ref(&g, &outs)
        .iter()
        .map(|v| v.iter().map(|x| x.to_bits()).collect())
        .collect();
    for (s, w) in [
        (SchedulerKind::Sync, None),
        (SchedulerKind::Threads, None),
        (SchedulerKind::Threads, Some(1)),
        (SchedulerKind::Threads, Some(3)),
    ] {
        let got = compute(&layers, &outs, &opts(s, w)).unwrap();
        assert_eq!(bits(&got), want, "{:?} {:?}", s, w);
    }
}

#[test]
fn duplicate_outputs_and_outputs_inside_chains() {
    let _guard = no_cancel();
    let (g, _) = mixed_graph();
    let layers = layers_of(&g);
    let outs = vec![
        key("chain", 2),
        key("chain", 2),
        key("gen", 2),
        key("total", 0),
    ];
    let want = run_ref(&g, &outs);
    for s in [SchedulerKind::Sync, SchedulerKind::Threads] {
        let got = compute(&layers, &outs, &opts(s, None)).unwrap();
        let got: Vec<Vec<f64>> = got.iter().map(|c| values(c)).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn intermediates_are_released_after_their_last_reader() {
    let g = reduction_tree(200, 4, 10);
    let outs = vec![key("agg", 0)];
    let plan = prepare(&g, &outs).unwrap();
    let mut st = ExecState::new(&plan);
    let mut peak = 0;
    while let Some(t) = st.pop_ready() {
        let inputs = st.inputs(t).unwrap();
        let out = plan.tasks[t].op.run(&inputs).unwrap();
        drop(inputs);
        st.finish(t, out);
        peak = peak.max(st.live());
    }
    assert_eq!(st.live(), 1, "only the output stays");
    assert!(peak <= 4 * 4 + 1, "peak {} results alive", peak);
}

#[test]
fn a_last_reader_is_handed_its_inputs_and_others_share_them() {
    // mixed_graph: "mean" is read by every chunk task (shared until its last reader),
    // each partial by one aggregate (handed over), and the output is kept
    let (g, outs) = mixed_graph();
    let plan = prepare(&g, &outs).unwrap();
    let mut st = ExecState::new(&plan);
    let (mut handed, mut shared) = (0, 0);
    let mut finished = vec![false; plan.len()];
    while let Some(t) = st.pop_ready() {
        let inputs = st.take_inputs(t).unwrap();
        for (i, a) in inputs.iter().enumerate() {
            let d = plan.inputs[t][i];
            let still_read = plan.dependents[d].iter().any(|&c| c != t && !finished[c]);
            if Arc::strong_count(a) == 1 {
                handed += 1;
                assert!(
                    !still_read,
                    "{} handed to {} while others read it",
                    plan.keys[d], plan.keys[t]
                );
            } else {
                shared += 1;
            }
        }
        let out = plan.tasks[t].op.run_owned(inputs).unwrap();
        st.finish(t, out);
        finished[t] = true;
    }
    assert!(
        handed > 0 && shared > 0,
        "handed {} shared {}",
        handed,
        shared
    );
    assert_eq!(st.live(), outs.len(), "only the outputs stay");
    // the same graph gives the same bits when every input is shared
    let mut st2 = ExecState::new(&plan);
    while let Some(t) = st2.pop_ready() {
        let inputs = st2.inputs(t).unwrap();
        let out = plan.tasks[t].op.run(&inputs).unwrap();
        drop(inputs);
        st2.finish(t, out);
    }
    assert_eq!(
        bits(&st.into_outputs().unwrap()),
        bits(&st2.into_outputs().unwrap())
    );
}

#[test]
fn task_errors_keep_their_kind_and_name_the_task() {
    let _guard = no_cancel();
    let mut g = Graph::default();
    add(&mut g, key("a", 0), src(1.0, 2), vec![]);
    add(&mut g, key("a", 1), src(1.0, 2), vec![]);
    add(
        &mut g,
        key("bad", 0),
        fail_op("division by zero"),
        vec![key("a", 0), key("a", 1)],
    );
    add(
        &mut g,
        key("out", 0),
        sum_op(),
        vec![key("bad", 0), key("a", 1)],
    );
    let layers = layers_of(&g);
    for s in [SchedulerKind::Sync, SchedulerKind::Threads] {
        let e = compute(&layers, &[key("out", 0)], &opts(s, None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Value);
        assert_eq!(e.message, "division by zero");
        assert_eq!(
            e.hint.as_deref(),
            Some("while computing ('bad', 0)"),
            "{:?}",
            s
        );
    }
}

#[test]
fn a_panicking_task_is_an_error() {
    let _guard = no_cancel();
    let mut g = Graph::default();
    add(&mut g, key("p", 0), Op::new(TestOp::Panic), vec![]);
    let layers = layers_of(&g);
    for s in [SchedulerKind::Sync, SchedulerKind::Threads] {
        let e = compute(&layers, &[key("p", 0)], &opts(s, None)).unwrap_err();
        assert!(e.message.contains("internal error"), "{}", e.message);
    }
}

#[test]
fn missing_output_is_an_error() {
    let _guard = no_cancel();
    let g = reduction_tree(3, 2, 1);
    let e = compute(
        &layers_of(&g),
        &[key("nope", 0)],
        &opts(SchedulerKind::Sync, None),
    )
    .unwrap_err();
    assert!(e.message.contains("('nope', 0)"));
}

#[test]
fn cancel_stops_every_scheduler_promptly() {
    let _guard = CANCEL_LOCK.write().unwrap_or_else(|e| e.into_inner());
    let mut g = Graph::default();
    for i in 0..200 {
        add(&mut g, key("slow", i), Op::new(TestOp::Sleep(20)), vec![]);
    }
    add(
        &mut g,
        key("all", 0),
        sum_op(),
        (0..200).map(|i| key("slow", i)).collect(),
    );
    let layers = layers_of(&g);
    for s in [SchedulerKind::Sync, SchedulerKind::Threads] {
        CANCEL.store(false, Ordering::SeqCst);
        let setter = std::thread::spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            CANCEL.store(true, Ordering::SeqCst);
        });
        let t0 = std::time::Instant::now();
        let e = compute(&layers, &[key("all", 0)], &opts(s, Some(2))).unwrap_err();
        setter.join().unwrap();
        assert_eq!(e.kind, ErrorKind::Interrupted, "{:?}", s);
        assert!(
            t0.elapsed().as_millis() < 1000,
            "{:?} took {:?}",
            s,
            t0.elapsed()
        );
    }
    CANCEL.store(false, Ordering::SeqCst);
}

#[test]
fn threads_keep_only_a_few_tasks_in_flight() {
    let _guard = no_cancel();
    // Chunks of 1 MB: with 2 threads and priority order, only a few are alive at once.
    let g = reduction_tree(64, 4, 1 << 17);
    let outs = vec![key("agg", 0)];
    // no fusion here, so the generated chunks are separate results
    let plan = Plan::new(&g, &outs).unwrap();
    let (got, peak) = threads::run_counting(&plan, Some(2), &Progress::hidden()).unwrap();
    assert_eq!(
        bits(&got),
        bits(&crate::graph::reference::run(&g, &outs).unwrap())
    );
    // 128 tasks produce 64 chunks and 85 partials; a few groups of 4 at most are held
    assert!(peak <= 16, "peak {} results held", peak);
}
