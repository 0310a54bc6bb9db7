//! A small W3C WebDriver client over reqwest: headless Chromium driven by Debian's chromedriver,
//! on 127.0.0.1 only. Enough to open pages, fill forms, send files, read text and take
//! screenshots, as a person at the browser would.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session, closed (and its driver stopped) when dropped.
pub struct Browser {
    driver: Child,
    url: String,
    http: reqwest::blocking::Client,
    _profile: tempfile::TempDir,
}

fn which(names: &[&str]) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

impl Browser {
    /// Headless Chromium, or none (with a message) when chromedriver or Chromium is missing and
    /// LAA_REQUIRE_TOOLS is not set.
    pub fn start() -> Option<Browser> {
        let (Some(driver), Some(chromium)) = (which(&["chromedriver"]), which(&["chromium", "chromium-browser"]))
        else {
            assert!(
                std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
                "LAA_REQUIRE_TOOLS is set but chromedriver or Chromium is not installed"
            );
            eprintln!("skipped: chromedriver (Debian: chromium-driver) or Chromium is not installed");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let http = reqwest::blocking::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while http.get(format!("{base}/status")).send().is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1200,1500", format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut b = Browser { driver: child, url: base.clone(), http, _profile: profile };
        let made = b.call("POST", "/session", caps);
        let id = made["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {made}")).to_string();
        b.url = format!("{base}/session/{id}");
        Some(b)
    }

    /// One WebDriver command; its `value`, or the driver's error.
    fn try_call(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let r = match method {
            "GET" => self.http.get(&url).send(),
            "DELETE" => self.http.delete(&url).send(),
            _ => self.http.post(&url).json(&body).send(),
        }
        .map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = r.json().map_err(|e| format!("{method} {path}: {e}"))?;
        match v["value"]["error"].as_str() {
            Some(err) => Err(format!("{method} {path}: {err}: {}", v["value"]["message"])),
            None => Ok(v["value"].clone()),
        }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        self.try_call(method, path, body).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The text of the first element that matches, if one does now.
    fn try_text(&self, css: &str) -> Option<String> {
        let v = self.try_call("POST", "/element", json!({"using": "css selector", "value": css})).ok()?;
        let e = v[ELEMENT].as_str()?.to_string();
        self.try_call("GET", &format!("/element/{e}/text"), json!({})).ok()?.as_str().map(String::from)
    }

    /// Wait until the text of an element holds `words` (the next page has come).
    pub fn wait_text(&self, css: &str, words: &str, within: Duration) {
        let started = Instant::now();
        while !self.try_text(css).is_some_and(|t| t.contains(words)) {
            assert!(
                started.elapsed() < within,
                "{css} did not show {words:?} within {within:?}: {:?}",
                self.try_text(css)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    /// The first element that matches a CSS selector.
    pub fn find(&self, css: &str) -> String {
        let v = self.call("POST", "/element", json!({"using": "css selector", "value": css}));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_string()
    }

    /// How many elements match a CSS selector.
    pub fn count(&self, css: &str) -> usize {
        let v = self.call("POST", "/elements", json!({"using": "css selector", "value": css}));
        v.as_array().map_or(0, Vec::len)
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), json!({}));
    }

    /// Type into an element; for a file input, the text is the file's path.
    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/value"), json!({ "text": text }));
    }

    /// The text of the first element that matches, as the browser renders it.
    pub fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.call("GET", &format!("/element/{e}/text"), json!({})).as_str().unwrap().to_string()
    }

    pub fn title(&self) -> String {
        self.call("GET", "/title", json!({})).as_str().unwrap().to_string()
    }

    /// A PNG of the window.
    pub fn screenshot(&self, to: &std::path::Path) {
        use base64::Engine;
        let b64 = self.call("GET", "/screenshot", json!({}));
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.url).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
