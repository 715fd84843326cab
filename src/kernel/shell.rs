//! The executor thread: it owns the kernel's one `Session` (names live from cell to
//! cell) and handles the shell requests in the order they came, each between a `busy`
//! and an `idle` status. A cell runs through `Session::run_entry`, the REPL's path;
//! what each statement shows reaches IOPub as soon as it finishes (`Session::sink`).

use super::assist::{self, Assist};
use super::capture::{self, Captures};
use super::history::History;
use super::serve::Iopub;
use super::wire::Message;
use super::{kernel_info, log};
use crate::session::session::{Origin, Session, Shown};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc::UnboundedSender, Notify};

pub struct Executor {
    iopub: Iopub,
    replies: UnboundedSender<Message>,
    shutdown: Arc<Notify>,
}

/// What the session's sink needs to know about the cell being run.
#[derive(Default)]
struct Cell {
    count: AtomicU64,
    silent: AtomicBool,
}

struct Kernel {
    session: Session,
    assist: Assist,
    history: History,
    /// The execution count of the last cell run with `store_history`.
    count: u64,
    cell: Arc<Cell>,
    captures: Captures,
    /// The last cell failed with `stop_on_error`: abort the queued ones.
    abort: bool,
    iopub: Iopub,
    replies: UnboundedSender<Message>,
    shutdown: Arc<Notify>,
}

impl Executor {
    pub fn new(iopub: Iopub, replies: UnboundedSender<Message>, shutdown: Arc<Notify>) -> Self {
        Executor {
            iopub,
            replies,
            shutdown,
        }
    }

    pub fn run(self, requests: std::sync::mpsc::Receiver<Message>) {
        let captures = capture::start(&self.iopub);
        crate::scheduler::progress::set_board(progress_board(self.iopub.clone()));
        let cell = Arc::new(Cell::default());
        let mut session = Session::new();
        session.sink = Some(sink(self.iopub.clone(), cell.clone()));
        let mut k = Kernel {
            session,
            assist: Assist::default(),
            history: History::default(),
            count: 0,
            cell,
            captures,
            abort: false,
            iopub: self.iopub,
            replies: self.replies,
            shutdown: self.shutdown,
        };
        while let Ok(m) = requests.recv() {
            k.handle(m, &requests);
        }
    }
}

/// Statement output to IOPub: printed text as a stdout stream, an expression's value as
/// `execute_result` with the text the REPL prints. A silent cell shows nothing.
fn sink(iopub: Iopub, cell: Arc<Cell>) -> crate::session::session::Sink {
    Box::new(move |shown| {
        if cell.silent.load(Ordering::Relaxed) {
            return;
        }
        match shown {
            Shown::Text(t) => iopub.stream("stdout", t),
            Shown::Value(v, text) => iopub.send_current(
                "execute_result",
                json!({
                    "execution_count": cell.count.load(Ordering::Relaxed),
                    "data": bundle(text, &v.mime()),
                    "metadata": {},
                }),
            ),
            Shown::Clear(wait) => iopub.send_current("clear_output", json!({ "wait": wait })),
            Shown::Display(text, rich) => iopub.send_current(
                "display_data",
                json!({ "data": bundle(text, rich), "metadata": {}, "transient": {} }),
            ),
        }
    })
}

/// Progress bars as one updating display per compute (`display_data` with a
/// `display_id`, then `update_display_data`); the last update is Dask's final line.
fn progress_board(iopub: Iopub) -> crate::scheduler::progress::Board {
    use crate::scheduler::progress::BarEvent;
    let current = std::sync::Mutex::new(String::new());
    Arc::new(move |event, line| {
        let Ok(mut id) = current.lock() else { return };
        if event == BarEvent::Show {
            *id = format!("rask-progress-{}", uuid::Uuid::new_v4().simple());
        }
        let msg_type = match event {
            BarEvent::Show => "display_data",
            _ => "update_display_data",
        };
        iopub.send_current(
            msg_type,
            json!({
                "data": { "text/plain": line },
                // a transcript records no progress bar (`rask export` skips it)
                "metadata": { "rask_progress": true },
                "transient": { "display_id": id.as_str() },
            }),
        );
    })
}

/// A MIME bundle: the text the terminal shows as `text/plain`, then the richer forms.
fn bundle(text: &str, rich: &[(String, String)]) -> Value {
    let mut data = serde_json::Map::new();
    data.insert("text/plain".into(), json!(text));
    for (mime, content) in rich {
        data.insert(mime.clone(), json!(content));
    }
    Value::Object(data)
}

impl Kernel {
    /// Answer an execute request queued behind a failed cell: not run, `aborted`.
    fn aborted(&mut self, m: &Message) {
        self.iopub.status(Some(m), "busy");
        let content = json!({ "status": "aborted", "execution_count": self.count });
        let _ = self
            .replies
            .send(m.reply(&self.iopub.session, "execute_reply", content));
        self.iopub.status(Some(m), "idle");
    }

    /// The `user_expressions` of an execute request, each evaluated after the cell:
    /// its repr as text/plain, or the error it raised.
    fn user_expressions(&mut self, exprs: &Value) -> Value {
        let mut done = serde_json::Map::new();
        let Some(exprs) = exprs.as_object() else {
            return Value::Object(done);
        };
        for (name, code) in exprs {
            let code = code.as_str().unwrap_or("");
            let result = self.session.eval_text(code).map(
                |text| json!({ "status": "ok", "data": { "text/plain": text }, "metadata": {} }),
            );
            done.insert(
                name.clone(),
                result.unwrap_or_else(|e| {
                    json!({
                        "status": "error",
                        "ename": e.class_name(),
                        "evalue": e.message,
                        "traceback": e.render(code, None).lines().collect::<Vec<_>>(),
                    })
                }),
            );
        }
        Value::Object(done)
    }

    /// Answer one shell request. An error in a cell run with `stop_on_error` aborts the
    /// execute requests queued behind it when it failed (taken before its reply goes
    /// out, so a request sent after the reply is never aborted), as ipykernel does;
    /// other queued requests are answered.
    fn handle(&mut self, m: Message, requests: &std::sync::mpsc::Receiver<Message>) {
        if let Ok(mut p) = self.iopub.parent.lock() {
            *p = Some(m.clone());
        }
        self.iopub.status(Some(&m), "busy");
        let c = &m.content;
        let cursor = |code: &str| {
            c["cursor_pos"]
                .as_u64()
                .map_or(code.chars().count(), |n| n as usize)
        };
        let code = c["code"].as_str().unwrap_or("");
        // a bug in a handler answers that request with an error; the kernel goes on
        let answer =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match m.msg_type() {
                "kernel_info_request" => Some(("kernel_info_reply", kernel_info())),
                "execute_request" => Some(("execute_reply", self.execute(&m))),
                "complete_request" => Some((
                    "complete_reply",
                    self.assist.complete(&self.session, code, cursor(code)),
                )),
                "inspect_request" => Some((
                    "inspect_reply",
                    assist::inspect(&mut self.session, code, cursor(code)),
                )),
                "is_complete_request" => Some(("is_complete_reply", assist::is_complete(code))),
                "history_request" => Some(("history_reply", self.history.reply(c))),
                "comm_info_request" => {
                    Some(("comm_info_reply", json!({ "status": "ok", "comms": {} })))
                }
                "shutdown_request" => {
                    let restart = c["restart"].as_bool().unwrap_or(false);
                    let content = json!({ "status": "ok", "restart": restart });
                    self.iopub.send(Some(&m), "shutdown_reply", content.clone());
                    self.shutdown.notify_one();
                    Some(("shutdown_reply", content))
                }
                other => {
                    log(&format!("unknown shell message '{}'", other));
                    None
                }
            }));
        let reply: Option<(String, Value)> = match answer {
            Ok(r) => r.map(|(t, content)| (t.to_string(), content)),
            Err(_) => {
                log(&format!("a panic while handling {}", m.msg_type()));
                let t = m.msg_type().strip_suffix("_request").unwrap_or("error");
                let error = json!({
                    "status": "error",
                    "ename": "InternalError",
                    "evalue": "the kernel caught a panic",
                    "traceback": [],
                });
                Some((format!("{}_reply", t), error))
            }
        };
        self.captures.flush();
        let queued: Vec<Message> = if std::mem::take(&mut self.abort) {
            requests.try_iter().collect()
        } else {
            Vec::new()
        };
        if let Some((msg_type, content)) = reply {
            let _ = self
                .replies
                .send(m.reply(&self.iopub.session, &msg_type, content));
        }
        self.iopub.status(Some(&m), "idle");
        if let Ok(mut p) = self.iopub.parent.lock() {
            *p = None;
        }
        for next in queued {
            if next.msg_type() == "execute_request" {
                self.aborted(&next);
            } else {
                self.handle(next, requests);
            }
        }
    }

    /// Run a cell: `execute_input`, its streams and results as they come, then the
    /// error if there is one; the reply's content is returned.
    fn execute(&mut self, m: &Message) -> Value {
        let c = &m.content;
        let code = c["code"].as_str().unwrap_or("");
        let silent = c["silent"].as_bool().unwrap_or(false);
        let store = !silent && c["store_history"].as_bool().unwrap_or(true);
        if store {
            self.count += 1;
        }
        let count = self.count;
        self.cell.count.store(count, Ordering::Relaxed);
        self.cell.silent.store(silent, Ordering::Relaxed);
        if !silent {
            self.iopub.send(
                Some(m),
                "execute_input",
                json!({ "code": code, "execution_count": count }),
            );
        }
        let ok = json!({
            "status": "ok",
            "execution_count": count,
            "payload": [],
            "user_expressions": {},
        });
        if code.trim().is_empty() {
            return ok;
        }
        // IPython's `name?` (and `?name`, `name??`): help in the pager
        if let Some(name) = assist::help_query(code) {
            let found = assist::inspect(&mut self.session, name, name.len());
            let mut reply = ok;
            if found["found"] == json!(true) {
                reply["payload"] = json!([{
                    "source": "page",
                    "data": found["data"],
                    "start": 0,
                }]);
            } else if !silent {
                self.iopub
                    .stream("stdout", &crate::session::help::not_found(name));
            }
            return reply;
        }
        let session = &mut self.session;
        // the session catches panics per statement; this is the last line of defence
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.run_entry(code, &Origin::default())
        }));
        self.captures.flush();
        let (ename, evalue, traceback) = match r {
            Ok(r) => {
                if store {
                    self.history.push(count, code, &r.transcript_output());
                }
                match r.error {
                    None => {
                        let mut ok = ok;
                        ok["user_expressions"] = self.user_expressions(&c["user_expressions"]);
                        return ok;
                    }
                    Some(e) => (
                        e.class_name().to_string(),
                        e.message.clone(),
                        r.error_text.lines().map(str::to_string).collect::<Vec<_>>(),
                    ),
                }
            }
            Err(_) => {
                let msg = "the kernel caught a panic while running the cell".to_string();
                ("InternalError".into(), msg.clone(), vec![msg])
            }
        };
        let error = json!({ "ename": ename, "evalue": evalue, "traceback": traceback });
        if !silent {
            self.iopub.send(Some(m), "error", error.clone());
        }
        self.abort = !silent && c["stop_on_error"].as_bool().unwrap_or(true);
        let mut reply = error;
        reply["status"] = json!("error");
        reply["user_expressions"] = json!({});
        reply["execution_count"] = json!(count);
        reply
    }
}
