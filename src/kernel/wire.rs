//! Jupyter's wire format (messaging protocol 5.3): a message is the routing identities,
//! the `<IDS|MSG>` delimiter, an HMAC-SHA256 signature, then four JSON frames (header,
//! parent header, metadata, content) and any raw buffers.

use crate::common::calendar::civil_from_days;
use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::{HashSet, VecDeque};

pub const DELIMITER: &[u8] = b"<IDS|MSG>";
pub const PROTOCOL_VERSION: &str = "5.3";

/// Signs outgoing messages and checks incoming ones with the connection file's key.
#[derive(Clone)]
pub struct Signer {
    /// `None`: an empty key, so messages are neither signed nor checked (as Jupyter does).
    mac: Option<Hmac<Sha256>>,
}

impl Signer {
    pub fn new(key: &str, scheme: &str) -> Result<Signer, String> {
        if key.is_empty() {
            return Ok(Signer { mac: None });
        }
        if scheme != "hmac-sha256" {
            return Err(format!(
                "signature scheme '{}' is not supported: use hmac-sha256",
                scheme
            ));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key.as_bytes())
            .map_err(|e| format!("unusable key: {}", e))?;
        Ok(Signer { mac: Some(mac) })
    }

    fn mac_of(&self, parts: &[&[u8]]) -> Option<Hmac<Sha256>> {
        let mut mac = self.mac.clone()?;
        for p in parts {
            mac.update(p);
        }
        Some(mac)
    }

    /// The hex signature of the four JSON frames ("" without a key).
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        self.mac_of(parts)
            .map(|m| hex::encode(m.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Whether `signature` (hex) is right for the frames, compared in constant time.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        let Some(mac) = self.mac_of(parts) else {
            return true;
        };
        match hex::decode(signature) {
            Ok(sig) => mac.verify_slice(&sig).is_ok(),
            Err(_) => false,
        }
    }

    pub fn signs(&self) -> bool {
        self.mac.is_some()
    }
}

/// The signatures already seen: a replayed message (a valid signature sent again) is
/// refused, as ipykernel refuses it. Bounded: the oldest are forgotten first.
pub struct Replays {
    seen: HashSet<Vec<u8>>,
    order: VecDeque<Vec<u8>>,
}

const REPLAY_MEMORY: usize = 1 << 16;

impl Replays {
    pub fn new() -> Replays {
        Replays {
            seen: HashSet::new(),
            order: VecDeque::new(),
        }
    }

    /// False when `signature` was seen before.
    pub fn first_time(&mut self, signature: &[u8]) -> bool {
        if signature.is_empty() {
            return true;
        }
        if !self.seen.insert(signature.to_vec()) {
            return false;
        }
        self.order.push_back(signature.to_vec());
        if self.order.len() > REPLAY_MEMORY {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        true
    }
}

impl Default for Replays {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Debug)]
pub struct Message {
    /// Routing identities of the peer (ROUTER sockets); empty on IOPub.
    pub idents: Vec<Bytes>,
    pub header: Value,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Bytes>,
}

impl Message {
    /// Parse the frames of one incoming message and check its signature.
    pub fn parse(frames: Vec<Bytes>, signer: &Signer) -> Result<(Message, Bytes), String> {
        let delim = frames
            .iter()
            .position(|f| f.as_ref() == DELIMITER)
            .ok_or("no <IDS|MSG> delimiter")?;
        let idents = frames[..delim].to_vec();
        let rest = &frames[delim + 1..];
        if rest.len() < 5 {
            return Err(format!(
                "{} frames after the delimiter, 5 needed",
                rest.len()
            ));
        }
        let signature = rest[0].clone();
        let parts: [&[u8]; 4] = [&rest[1], &rest[2], &rest[3], &rest[4]];
        if !signer.verify(&signature, &parts) {
            return Err("bad signature".into());
        }
        let json = |i: usize, what: &str| -> Result<Value, String> {
            serde_json::from_slice(parts[i]).map_err(|e| format!("{} is not JSON: {}", what, e))
        };
        let msg = Message {
            idents,
            header: json(0, "the header")?,
            parent_header: json(1, "the parent header")?,
            metadata: json(2, "the metadata")?,
            content: json(3, "the content")?,
            buffers: rest[5..].to_vec(),
        };
        if !msg.header.is_object() {
            return Err("the header is not an object".into());
        }
        Ok((msg, signature))
    }

    pub fn msg_type(&self) -> &str {
        self.header["msg_type"].as_str().unwrap_or("")
    }

    /// The frames to send, signed.
    pub fn to_frames(&self, signer: &Signer) -> Vec<Bytes> {
        let enc = |v: &Value| Bytes::from(v.to_string());
        let header = enc(&self.header);
        let parent = enc(&self.parent_header);
        let metadata = enc(&self.metadata);
        let content = enc(&self.content);
        let sig = signer.sign(&[&header, &parent, &metadata, &content]);
        let mut frames = self.idents.clone();
        frames.push(Bytes::from_static(DELIMITER));
        frames.push(Bytes::from(sig));
        frames.extend([header, parent, metadata, content]);
        frames.extend(self.buffers.iter().cloned());
        frames
    }

    /// A new message of this kernel, in reply to (or caused by) `parent`.
    pub fn child(
        parent: Option<&Message>,
        session: &str,
        msg_type: &str,
        content: Value,
    ) -> Message {
        Message {
            idents: Vec::new(),
            header: header(session, msg_type),
            parent_header: parent.map_or_else(|| json!({}), |p| p.header.clone()),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }

    /// The reply to `self` on the socket it came in on (same peer identities).
    pub fn reply(&self, session: &str, msg_type: &str, content: Value) -> Message {
        let mut m = Message::child(Some(self), session, msg_type, content);
        m.idents = self.idents.clone();
        m
    }
}

pub fn header(session: &str, msg_type: &str) -> Value {
    json!({
        "msg_id": uuid::Uuid::new_v4().to_string(),
        "session": session,
        "username": "rask",
        "date": now_iso8601(),
        "msg_type": msg_type,
        "version": PROTOCOL_VERSION,
    })
}

/// The current UTC time as ISO 8601 with microseconds, e.g. `2026-01-02T03:04:05.123456Z`.
pub fn now_iso8601() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        y,
        m,
        d,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_round_trip_and_tampering() {
        let s = Signer::new("secret", "hmac-sha256").unwrap();
        let m = Message {
            idents: vec![Bytes::from_static(b"peer")],
            ..Message::child(None, "s", "kernel_info_request", json!({}))
        };
        let frames = m.to_frames(&s);
        let (back, _) = Message::parse(frames.clone(), &s).unwrap();
        assert_eq!(back.msg_type(), "kernel_info_request");
        assert_eq!(back.idents, m.idents);
        // a changed content frame no longer matches its signature
        let mut bad = frames.clone();
        let last = bad.len() - 1;
        bad[last] = Bytes::from_static(b"{\"x\": 1}");
        assert!(Message::parse(bad, &s).is_err());
        // another key's signature is refused
        let other = Signer::new("other", "hmac-sha256").unwrap();
        assert!(Message::parse(frames.clone(), &other).is_err());
        // without a key nothing is checked
        let none = Signer::new("", "hmac-sha256").unwrap();
        assert!(Message::parse(frames, &none).is_ok());
    }

    #[test]
    fn replays_are_refused() {
        let mut r = Replays::new();
        assert!(r.first_time(b"abc"));
        assert!(!r.first_time(b"abc"));
        assert!(r.first_time(b""));
        assert!(r.first_time(b""));
    }
}
