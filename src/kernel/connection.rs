//! The connection file Jupyter writes for a kernel: the address, the five ports and the
//! key that signs every message.

use serde::Deserialize;
use std::net::IpAddr;

#[derive(Clone, Debug, Deserialize)]
pub struct ConnectionInfo {
    pub ip: String,
    #[serde(default = "tcp")]
    pub transport: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
    /// Empty: messages are not signed (Jupyter's rule too).
    #[serde(default)]
    pub key: String,
    #[serde(default = "hmac_sha256")]
    pub signature_scheme: String,
}

fn tcp() -> String {
    "tcp".into()
}

fn hmac_sha256() -> String {
    "hmac-sha256".into()
}

impl ConnectionInfo {
    /// Read and check a connection file: TCP only (the transport rask's ZeroMQ speaks),
    /// every port set, and a loopback address unless `allow_remote`.
    pub fn read(path: &str, allow_remote: bool) -> Result<ConnectionInfo, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the connection file {}: {}", path, e))?;
        let info: ConnectionInfo = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a Jupyter connection file: {}", path, e))?;
        info.check(allow_remote)?;
        Ok(info)
    }

    fn check(&self, allow_remote: bool) -> Result<(), String> {
        if self.transport != "tcp" {
            return Err(format!(
                "transport '{}' is not supported: rask's kernel listens on tcp",
                self.transport
            ));
        }
        let ports = [
            self.shell_port,
            self.iopub_port,
            self.stdin_port,
            self.control_port,
            self.hb_port,
        ];
        if ports.contains(&0) {
            return Err("the connection file must give every port (0 is not a port)".into());
        }
        if !allow_remote && !is_loopback(&self.ip) {
            return Err(format!(
                "refusing to listen on {}: not a loopback address. Anyone who can reach \
                 the ports and knows the key can run code as you; start with \
                 --allow-remote if that is what you want",
                self.ip
            ));
        }
        Ok(())
    }

    /// The ZeroMQ endpoint of one port.
    pub fn endpoint(&self, port: u16) -> String {
        match self.ip.parse::<IpAddr>() {
            Ok(IpAddr::V6(a)) => format!("tcp://[{}]:{}", a, port),
            // rask's ZeroMQ binds addresses, not names
            _ if self.ip == "localhost" => format!("tcp://127.0.0.1:{}", port),
            _ => format!("tcp://{}:{}", self.ip, port),
        }
    }
}

/// `localhost` or an address in 127.0.0.0/8 or ::1.
pub fn is_loopback(ip: &str) -> bool {
    ip == "localhost" || ip.parse::<IpAddr>().is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(ip: &str) -> ConnectionInfo {
        let text = format!(
            r#"{{"ip": "{}", "transport": "tcp", "shell_port": 1, "iopub_port": 2,
                "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k",
                "signature_scheme": "hmac-sha256", "kernel_name": "rask"}}"#,
            ip
        );
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn only_loopback_without_the_flag() {
        assert!(info("127.0.0.1").check(false).is_ok());
        assert!(info("::1").check(false).is_ok());
        assert!(info("localhost").check(false).is_ok());
        assert!(info("0.0.0.0").check(false).is_err());
        assert!(info("192.168.1.5").check(false).is_err());
        assert!(info("0.0.0.0").check(true).is_ok());
        assert_eq!(info("::1").endpoint(9), "tcp://[::1]:9");
        assert_eq!(info("127.0.0.1").endpoint(9), "tcp://127.0.0.1:9");
        assert_eq!(info("localhost").endpoint(9), "tcp://127.0.0.1:9");
    }
}
