//! A client for the seller hub's tests: the built example started as a child process on an
//! ephemeral loopback port, and plain HTTP/1.1 over a `TcpStream` (one connection per
//! request), so the tests see exactly what a client on the wire sees.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The seller hub's binary: `HAAT_HUB_BIN`, or the example beside this test's binary,
/// built if missing.
pub fn binary(release: bool) -> PathBuf {
    if let Ok(path) = std::env::var("HAAT_HUB_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> → target/<profile>
    let mut profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
    if release {
        profile_dir = profile_dir.parent().unwrap().join("release");
    }
    let path = profile_dir.join("examples").join("seller_hub");
    // `cargo test --test seller_hub` builds no example: build it (a no-op when it is current),
    // once per test binary and profile.
    static BUILT: Mutex<[bool; 2]> = Mutex::new([false; 2]);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !built[usize::from(release)] {
        let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cargo.args(["build", "--quiet", "--example", "seller_hub"]);
        if release {
            cargo.arg("--release");
        }
        let status = cargo.status().unwrap();
        assert!(status.success(), "building the seller hub failed");
        built[usize::from(release)] = true;
    }
    path
}

/// One response.
#[derive(Debug)]
pub struct Reply {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

/// A running hub.
pub struct Hub {
    child: Child,
    pub addr: String,
    pub lines: Arc<Mutex<Vec<String>>>,
    log: PathBuf,
    _dir: tempfile::TempDir,
    requested: Vec<(String, String)>,
}

/// Copies into `to` a SQLite store the hub seeded with the small West Bengal scenario.
///
/// The seed (a few hundred thousand events) is the debug build's slowest start, so each test
/// binary has the hub seed one store once, its first start on an empty file, and every test
/// that wants a seeded hub starts on a copy of it.
pub fn seeded_store(to: &Path) {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf, Vec<String>)> = OnceLock::new();
    let (_, template, _) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seeded.db");
        let hub = Hub::start(&["--store", path.to_str().unwrap()]);
        let lines = hub.lines.lock().unwrap().clone();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("seeded the West Bengal scenario")),
            "the first start on an empty store seeds it: {lines:?}"
        );
        hub.stop();
        (dir, path, lines)
    });
    std::fs::copy(template, to).unwrap();
    // A hub stopped cleanly leaves no write-ahead log behind; copy one if it did.
    for suffix in ["-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", template.display()));
        if from.exists() {
            std::fs::copy(&from, format!("{}{suffix}", to.display())).unwrap();
        }
    }
}

impl Hub {
    /// Starts the debug build on a copy of a seeded SQLite store, or on a fresh file with
    /// `--no-seed` (unless `args` name a store).
    pub fn start(args: &[&str]) -> Hub {
        Hub::start_with(binary(false), args)
    }

    /// Starts `bin` with `args`, on 127.0.0.1:0.
    pub fn start_with(bin: PathBuf, args: &[&str]) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("hub.log");
        let mut command = Command::new(bin);
        if !args.contains(&"--store") && !args.contains(&"--postgres") {
            let db = dir.path().join("hub.db");
            if !args.contains(&"--no-seed") {
                seeded_store(&db);
            }
            command.args(["--store", db.to_str().unwrap()]);
        }
        command
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let seen = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("listening on http://") {
                    let _ = tx.send(addr.to_owned());
                }
                seen.lock().unwrap().push(line);
            }
        });
        // A first start on an empty store seeds the West Bengal scenario: minutes in a debug
        // build on a loaded machine.
        let addr = match rx.recv_timeout(Duration::from_secs(900)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the hub did not start: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        Hub {
            child,
            addr,
            lines,
            log,
            _dir: dir,
            requested: Vec::new(),
        }
    }

    /// The key printed for seller `n` (1 or 2: the scenario's showcase sellers).
    pub fn seller_key(&self, n: u64) -> String {
        let prefix = format!("seller {n} key: ");
        self.lines
            .lock()
            .unwrap()
            .iter()
            .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
            .unwrap()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        key: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Reply {
        self.requested.push((method.to_owned(), path.to_owned()));
        send(&self.addr, method, path, key, headers, body)
    }

    pub fn get(&mut self, path: &str, key: Option<&str>) -> Reply {
        self.request("GET", path, key, &[], None)
    }

    pub fn post(&mut self, path: &str, key: Option<&str>, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).unwrap();
        self.request("POST", path, key, &[], Some(("application/json", &bytes)))
    }

    pub fn post_keyed(&mut self, path: &str, key: Option<&str>, body: &Value, idem: &str) -> Reply {
        let bytes = serde_json::to_vec(body).unwrap();
        self.request(
            "POST",
            path,
            key,
            &[("Idempotency-Key", idem)],
            Some(("application/json", &bytes)),
        )
    }

    pub fn post_raw(&mut self, path: &str, key: Option<&str>, body: &str) -> Reply {
        self.request(
            "POST",
            path,
            key,
            &[],
            Some(("application/json", body.as_bytes())),
        )
    }

    pub fn post_text(&mut self, path: &str, key: Option<&str>, body: &str) -> Reply {
        self.request("POST", path, key, &[], Some(("text/csv", body.as_bytes())))
    }

    pub fn post_empty(&mut self, path: &str, key: Option<&str>) -> Reply {
        self.request("POST", path, key, &[], None)
    }

    pub fn put(&mut self, path: &str, key: Option<&str>, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).unwrap();
        self.request("PUT", path, key, &[], Some(("application/json", &bytes)))
    }

    /// The documented (method, template) pairs some request of this test matched.
    pub fn requested_templates(
        &self,
        documented: &BTreeSet<(String, String)>,
    ) -> BTreeSet<(String, String)> {
        documented
            .iter()
            .filter(|(method, template)| {
                self.requested.iter().any(|(m, path)| {
                    m == method && matches(template, path.split('?').next().unwrap_or(path))
                })
            })
            .cloned()
            .collect()
    }

    /// The requests under `/api/` this test sent that fit no documented (method, template).
    pub fn undocumented(&self, documented: &BTreeSet<(String, String)>) -> Vec<(String, String)> {
        self.requested
            .iter()
            .filter(|(method, path)| {
                let path = path.split('?').next().unwrap_or(path);
                path.starts_with("/api/")
                    && !documented
                        .iter()
                        .any(|(m, template)| m == method && matches(template, path))
            })
            .cloned()
            .collect()
    }

    /// Stops the hub with SIGTERM, checks it exits cleanly, and answers its logs.
    pub fn stop(mut self) -> String {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        let exit = loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                break exit;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the hub did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let logs = std::fs::read_to_string(&self.log).unwrap_or_default();
        assert!(exit.success(), "the hub exited with {exit}: {logs}");
        logs
    }

    /// Kills the hub with SIGKILL and waits for it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `path` fits the OpenAPI `template` (`{name}` matches one segment).
fn matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
}

/// One request on its own connection.
pub fn send(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, &[u8])>,
) -> Reply {
    try_send(addr, method, path, key, headers, body).unwrap()
}

/// One request on its own connection, or the connection's error (a hub killed under load).
pub fn try_send(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, &[u8])>,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(key) = key {
        head.push_str(&format!("X-Api-Key: {key}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let body_bytes = match body {
        Some((content_type, bytes)) => {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
            bytes
        }
        None => &[][..],
    };
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body_bytes.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body_bytes)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the connection closed before a response",
        ));
    }
    Ok(parse(method, path, &raw))
}

fn parse(method: &str, path: &str, raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Reply {
        method: method.to_owned(),
        path: path.to_owned(),
        status,
        headers,
        text,
        json,
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
    out
}
