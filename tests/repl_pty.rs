//! The REPL through a real pseudo-terminal: lines typed (or pasted) faster than rask
//! reads them are all run, none lost between one prompt and the next; Ctrl-C stops a
//! long compute within a second.

mod common;

use common::pty::Term;
use std::io::Write;
use std::time::Duration;

#[test]
fn fifty_lines_typed_without_pauses_are_all_bound() {
    let mut t = Term::start();
    let mut input = String::new();
    for i in 0..50 {
        input.push_str(&format!("a{} = {}\r", i, i));
    }
    let names: Vec<String> = (0..50).map(|i| format!("a{}", i)).collect();
    input.push_str(&format!("print('total', sum([{}]))\r", names.join(", ")));
    t.type_text(input.as_bytes());
    let (text, _) = t.wait_for(&["total 1225", "Error"], Duration::from_secs(30));
    assert!(text.contains("total 1225"), "lines were lost:\n{}", text);
    assert!(!text.contains("NameError"), "{}", text);
}

#[test]
fn ctrl_c_stops_a_long_bag_read_within_a_second() {
    use flate2::write::GzEncoder;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.json.gz");
    let mut text = String::new();
    for i in 0..1_000_000 {
        text.push_str(&format!(
            "{{\"id\": {}, \"amount\": {}, \"tags\": [\"a\", \"b\"]}}\n",
            i,
            i % 1000
        ));
    }
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).expect("gzip");
    let member = e.finish().expect("gzip");
    // one file of many members: one task that runs for seconds
    std::fs::write(&path, member.repeat(12)).expect("write");

    let mut t = Term::start();
    let line = format!(
        "db.read_text('{}').map(json.loads).pluck('amount').filter(lambda a: a % 3 == 0).count().compute(scheduler='threads')\r",
        path.display()
    );
    t.type_text(line.as_bytes());
    std::thread::sleep(Duration::from_millis(1500));
    t.type_text(b"\x03");
    let (text, latency) = t.wait_for(&["KeyboardInterrupt"], Duration::from_secs(30));
    let latency = latency.unwrap_or_else(|| panic!("no KeyboardInterrupt:\n{}", text));
    // the read runs for several seconds more; a second is the promise
    assert!(
        latency < Duration::from_secs(1),
        "Ctrl-C took {:?}",
        latency
    );
}

#[test]
fn a_cell_magic_takes_the_lines_up_to_a_blank_one() {
    let mut t = Term::start();
    t.type_text(b"b = 6\r%%time\ra = b * 7\rprint('answer', a)\r");
    let (text, _) = t.wait_for(&["... "], Duration::from_secs(10));
    assert!(
        text.contains("... "),
        "no continuation prompt after %%time:\n{}",
        text
    );
    assert!(
        !text.contains("answer 42"),
        "the cell ran before its blank line:\n{}",
        text
    );
    t.type_text(b"\r");
    let (text, _) = t.wait_for(&["Wall time: ", "Error"], Duration::from_secs(30));
    let answer = text.find("answer 42");
    let cpu = text.find("CPU times: user ");
    assert!(
        answer.is_some() && cpu.is_some() && answer < cpu && text.contains("Wall time: "),
        "the cell's output then its timing expected:\n{}",
        text
    );
}

/// Python's REPL: a compound statement keeps `...` until a blank line, then runs whole;
/// an error inside a function defined that way is reported and the shell goes on.
#[test]
fn a_block_continues_until_a_blank_line_and_an_error_inside_a_function_leaves_the_shell_running() {
    let mut t = Term::start();
    t.type_text(b"total = 0\rfor i in range(4):\r    if i % 2:\r        total += i\r");
    let (text, _) = t.wait_for(&["...         "], Duration::from_secs(10));
    assert!(
        text.contains("... "),
        "no continuation prompt in the block:\n{}",
        text
    );
    t.type_text(b"\rprint('total', total)\r");
    let (text, _) = t.wait_for(&["total 4"], Duration::from_secs(10));
    assert!(
        text.contains("total 4"),
        "the loop did not run once, whole:\n{}",
        text
    );
    t.type_text(b"def f(x):\r    y = x + 1\r    return y / 0\r\rf(1)\r");
    let (text, _) = t.wait_for(&["ZeroDivisionError"], Duration::from_secs(10));
    assert!(
        text.contains("ZeroDivisionError: division by zero"),
        "no ZeroDivisionError:\n{}",
        text
    );
    t.type_text(b"print('alive', total)\r");
    let (text, _) = t.wait_for(&["alive 4"], Duration::from_secs(10));
    assert!(
        text.contains("alive 4"),
        "the shell did not go on:\n{}",
        text
    );
}
