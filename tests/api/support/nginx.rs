//! Debian's nginx in front of the application, with the configuration docs/security.md recommends: its own process
//! on a free port, its configuration, TLS certificate (made with openssl for this run) and logs in a temporary
//! directory. The system's nginx service is never touched.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

const NGINX: &str = "/usr/sbin/nginx";

/// A running nginx; stopped on drop.
pub struct Nginx {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// The nginx server block from docs/security.md, exactly as written there.
pub fn documented_config() -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/security.md"))
        .expect("docs/security.md");
    let start = doc.find("<!-- nginx-config:start -->").expect("the nginx configuration is marked in the docs");
    let block = &doc[start..];
    let body = block.split("```nginx\n").nth(1).expect("an nginx code block");
    body.split("```").next().expect("the block ends").to_string()
}

impl Nginx {
    /// Whether nginx is installed (a skip when not; under `CI=true` its absence is a failure).
    pub fn available() -> bool {
        let found = Path::new(NGINX).exists();
        if !found {
            super::skip::skip(&format!("nginx ({NGINX}) missing: apt-get install nginx"));
        }
        found
    }

    /// Starts nginx on `port` in front of `upstream` (`127.0.0.1:port` of the application).
    pub async fn start(port: u16, upstream: &str) -> Nginx {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (cert, key) = certificate(dir.path());
        let mut server = documented_config();
        for (from, to) in [
            ("listen 443 ssl;", format!("listen 127.0.0.1:{port} ssl;")),
            ("server 127.0.0.1:8080;", format!("server {upstream};")),
            ("/etc/ssl/hejnal/fullchain.pem", cert.display().to_string()),
            ("/etc/ssl/hejnal/privkey.pem", key.display().to_string()),
        ] {
            assert!(server.contains(from), "the documented configuration has `{from}`");
            server = server.replace(from, &to);
        }
        let d = dir.path().display();
        // Process-wide directives a packaged nginx keeps in /etc/nginx/nginx.conf; the server block is the docs'.
        let conf = format!(
            "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n    access_log off;\n    client_body_temp_path {d}/body;\n    proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n\
             {server}\n}}\n"
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, conf).expect("write nginx.conf");
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "nginx did not start: {}", nginx.error_log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        nginx
    }

    /// The certificate authority clients trust for this nginx.
    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("ca.pem")).expect("CA certificate")
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A throwaway certificate authority and a server certificate for 127.0.0.1, made with openssl.
fn certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run(&[
        &["req", "-x509"],
        &ec[..],
        &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=hejnal test CA"],
    ]
    .concat());
    run(&[&["req"], &ec[..], &["-keyout", "key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]].concat());
    std::fs::write(
        dir.join("server.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write extensions");
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    (dir.join("cert.pem"), dir.join("key.pem"))
}
