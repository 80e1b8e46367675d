//! A deliberately raw HTTP/1.1 client over a TCP socket: it sends exactly
//! the bytes a test writes (bad percent-encoding, non-UTF-8 bodies, odd
//! methods), which a real client library would refuse or repair.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::SocketAddr;

use sandbox::Config;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const RESELLER: &str = "reseller@example.com";
pub const KEY: &str = "sandbox-api-key";
pub const ACCOUNT1: &str = "9900a49c321c871cd1a572a1dc21a33c";
pub const ACCOUNT2: &str = "f7u4g79c321cf77td1a572a1dcg7uyf4";
pub const LICENSE: &str = "lat47ts4";

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The `response` member of the envelope.
    pub fn response(&self) -> Value {
        self.json()["response"].clone()
    }

    /// Checks the error envelope and that its statuscode is the HTTP status.
    pub fn assert_error(&self, status: u16) -> String {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        let r = self.response();
        assert_eq!(r["status"], "ERROR");
        assert_eq!(r["statuscode"], status);
        assert!(r["debugmessage"].is_string());
        r["errormessage"].as_str().expect("errormessage").to_owned()
    }

    pub fn assert_ok_status(&self) {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        assert_eq!(
            self.json(),
            serde_json::json!({"response": {"status": "OK", "statuscode": 0}})
        );
    }
}

/// A sandbox running in this test's runtime.
pub struct Sandbox {
    pub addr: SocketAddr,
}

pub async fn start() -> Sandbox {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> Sandbox {
    let config = Config {
        port: 0,
        seed: 42,
        ..config
    };
    let (addr, _task) = sandbox::serve(config).await.expect("sandbox starts");
    Sandbox { addr }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = std::str::from_utf8(&body[..line_end]).expect("chunk size");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

impl Sandbox {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends raw bytes; reads the whole answer (the server closes after it).
    pub async fn raw(&self, request: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        // The server may answer (413) before reading everything: ignore
        // write errors and read what came back.
        let _ = stream.write_all(request).await;
        let mut buf = Vec::new();
        let _ = stream.read_to_end(&mut buf).await;
        let split = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&buf)));
        let head = String::from_utf8_lossy(&buf[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let mut body = buf[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        )
        .into_bytes();
        for (name, value) in headers {
            request.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if !body.is_empty() || method == "POST" || method == "PUT" {
            request.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        request.extend_from_slice(body);
        self.raw(&request).await
    }

    pub async fn get(&self, target: &str) -> Reply {
        self.send("GET", target, &[], b"").await
    }

    pub async fn delete(&self, target: &str) -> Reply {
        self.send("DELETE", target, &[], b"").await
    }

    pub async fn form(&self, method: &str, target: &str, body: &str) -> Reply {
        self.send(
            method,
            target,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
        .await
    }

    pub async fn post_json(&self, target: &str, body: &str) -> Reply {
        self.send(
            "POST",
            target,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await
    }
}

/// `/api/resellers/reseller@example.com{rest}`.
pub fn api(rest: &str) -> String {
    format!("/api/resellers/{RESELLER}{rest}")
}

/// `api(rest)` plus `?apikey=…` (and `&extra` when given).
pub fn api_q(rest: &str, extra: &str) -> String {
    if extra.is_empty() {
        format!("{}?apikey={KEY}", api(rest))
    } else {
        format!("{}?apikey={KEY}&{extra}", api(rest))
    }
}

/// A form body with the key first.
pub fn with_key(fields: &str) -> String {
    if fields.is_empty() {
        format!("apikey={KEY}")
    } else {
        format!("apikey={KEY}&{fields}")
    }
}
