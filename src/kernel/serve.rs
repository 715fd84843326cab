//! The sockets and the threads behind them. One tokio thread runs every socket: the
//! heartbeat echoes, IOPub publishes what the other threads queue, control is answered
//! right there (so `interrupt_request` and `shutdown_request` get through while a cell
//! runs), and shell requests are passed, in order, to the executor thread that owns the
//! `Session` (`shell.rs`), whose replies come back through a queue.

use super::connection::ConnectionInfo;
use super::wire::{Message, Replays, Signer};
use super::{kernel_info, log};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, Notify};
use zeromq::{PubSocket, RepSocket, RouterSocket, Socket, SocketRecv, SocketSend, ZmqMessage};

/// What the other threads publish on IOPub, with the parent the executor is working on.
#[derive(Clone)]
pub struct Iopub {
    tx: mpsc::UnboundedSender<Message>,
    pub session: Arc<str>,
    /// The header of the request being handled: streams caught from file descriptors
    /// 1 and 2 (`capture.rs`) are sent as its children.
    pub parent: Arc<Mutex<Option<Message>>>,
}

impl Iopub {
    pub fn send(&self, parent: Option<&Message>, msg_type: &str, content: Value) {
        let _ = self
            .tx
            .send(Message::child(parent, &self.session, msg_type, content));
    }

    pub fn status(&self, parent: Option<&Message>, state: &str) {
        self.send(parent, "status", json!({ "execution_state": state }));
    }

    /// A message under the request being handled (output that reaches IOPub from
    /// the session's sink, the progress board and the captured descriptors).
    pub fn send_current(&self, msg_type: &str, content: Value) {
        let parent = self.parent.lock().map(|p| p.clone()).unwrap_or(None);
        self.send(parent.as_ref(), msg_type, content);
    }

    /// A stream message under the current request.
    pub fn stream(&self, name: &str, text: &str) {
        self.send_current("stream", json!({ "name": name, "text": text }));
    }
}

/// Bind the five sockets and serve until a shutdown request. Errors are for the user
/// (a port in use, a bad key).
pub fn serve(info: ConnectionInfo) -> Result<(), String> {
    let signer = Signer::new(&info.key, &info.signature_scheme)?;
    if !signer.signs() {
        log("the connection file has no key: messages are not signed");
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the socket thread: {}", e))?;
    rt.block_on(run(info, signer))
}

async fn bind<S: Socket>(mut s: S, info: &ConnectionInfo, port: u16) -> Result<S, String> {
    let at = info.endpoint(port);
    s.bind(&at)
        .await
        .map_err(|e| format!("cannot listen on {}: {}", at, e))?;
    Ok(s)
}

async fn run(info: ConnectionInfo, signer: Signer) -> Result<(), String> {
    let shell = bind(RouterSocket::new(), &info, info.shell_port).await?;
    let mut control = bind(RouterSocket::new(), &info, info.control_port).await?;
    // rask never asks for input; the socket is there because clients connect to it
    let _stdin = bind(RouterSocket::new(), &info, info.stdin_port).await?;
    let mut iopub_socket = bind(PubSocket::new(), &info, info.iopub_port).await?;
    let mut hb = bind(RepSocket::new(), &info, info.hb_port).await?;

    let session: Arc<str> = Arc::from(uuid::Uuid::new_v4().to_string());
    let shutdown = Arc::new(Notify::new());
    let replays = Arc::new(Mutex::new(Replays::new()));

    let (iopub_tx, mut iopub_rx) = mpsc::unbounded_channel::<Message>();
    let iopub = Iopub {
        tx: iopub_tx,
        session: session.clone(),
        parent: Arc::new(Mutex::new(None)),
    };
    let sign = signer.clone();
    tokio::spawn(async move {
        while let Some(m) = iopub_rx.recv().await {
            if let Ok(z) = ZmqMessage::try_from(m.to_frames(&sign)) {
                let _ = iopub_socket.send(z).await;
            }
        }
    });

    tokio::spawn(async move {
        loop {
            match hb.recv().await {
                Ok(ping) => {
                    let _ = hb.send(ping).await;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    });

    // shell: requests to the executor thread in arrival order, its replies back out
    let (mut shell_out, mut shell_in) = shell.split();
    let (reply_tx, mut reply_rx) = mpsc::unbounded_channel::<Message>();
    let sign = signer.clone();
    tokio::spawn(async move {
        while let Some(m) = reply_rx.recv().await {
            if let Ok(z) = ZmqMessage::try_from(m.to_frames(&sign)) {
                let _ = shell_out.send(z).await;
            }
        }
    });
    let (req_tx, req_rx) = std::sync::mpsc::channel::<Message>();
    let executor = super::shell::Executor::new(iopub.clone(), reply_tx, shutdown.clone());
    std::thread::Builder::new()
        .name("rask-kernel-executor".into())
        // the stack the REPL has on the main thread
        .stack_size(8 << 20)
        .spawn(move || executor.run(req_rx))
        .map_err(|e| format!("cannot start the executor thread: {}", e))?;
    let sign = signer.clone();
    let seen = replays.clone();
    tokio::spawn(async move {
        loop {
            match shell_in.recv().await {
                Ok(z) => {
                    if let Some(m) = accept(z, &sign, &seen, "shell") {
                        if req_tx.send(m).is_err() {
                            break;
                        }
                    }
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    });

    let stop = shutdown.clone();
    let io = iopub.clone();
    tokio::spawn(async move {
        loop {
            let z = match control.recv().await {
                Ok(z) => z,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Some(m) = accept(z, &signer, &replays, "control") else {
                continue;
            };
            if let Some(reply) = control_reply(&m, &io, &stop) {
                if let Ok(z) = ZmqMessage::try_from(reply.to_frames(&signer)) {
                    let _ = control.send(z).await;
                }
            }
        }
    });

    shutdown.notified().await;
    // the shutdown reply and the last IOPub messages go out before the process ends
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    Ok(())
}

/// Parse and check an incoming message; a bad one is logged and dropped.
fn accept(
    z: ZmqMessage,
    signer: &Signer,
    replays: &Mutex<Replays>,
    socket: &str,
) -> Option<Message> {
    match Message::parse(z.into_vec(), signer) {
        Ok((m, signature)) => {
            let fresh = replays
                .lock()
                .map(|mut r| r.first_time(&signature))
                .unwrap_or(true);
            if fresh {
                Some(m)
            } else {
                log(&format!("dropped a replayed message on {}", socket));
                None
            }
        }
        Err(e) => {
            log(&format!("dropped a message on {}: {}", socket, e));
            None
        }
    }
}

/// Answer a control message here, at once, whatever the executor is doing.
fn control_reply(m: &Message, io: &Iopub, shutdown: &Notify) -> Option<Message> {
    let session = &io.session;
    match m.msg_type() {
        "kernel_info_request" => Some(m.reply(session, "kernel_info_reply", kernel_info())),
        "interrupt_request" => {
            interrupt();
            Some(m.reply(session, "interrupt_reply", json!({ "status": "ok" })))
        }
        "shutdown_request" => {
            let restart = m.content["restart"].as_bool().unwrap_or(false);
            let content = json!({ "status": "ok", "restart": restart });
            io.send(Some(m), "shutdown_reply", content.clone());
            // a compute in progress stops at once instead of holding the exit
            interrupt();
            shutdown.notify_one();
            Some(m.reply(session, "shutdown_reply", content))
        }
        other => {
            log(&format!("unknown control message '{}'", other));
            None
        }
    }
}

/// What Ctrl-C does in the REPL: the running compute stops at its next task, the
/// running loop at its next iteration, with a KeyboardInterrupt.
pub fn interrupt() {
    crate::scheduler::CANCEL.store(true, std::sync::atomic::Ordering::SeqCst);
}
