//! A private PostgreSQL server for a test that restarts it: `initdb` into a temporary directory as the `postgres`
//! user, started on its own port and socket directory, stopped when dropped. The shared server other tests use is
//! never touched.

use std::{os::unix::fs::PermissionsExt, path::PathBuf, process::Command};

/// Where Debian keeps PostgreSQL's server programs (`/usr/lib/postgresql/<version>/bin`), newest first.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|b| b.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

pub struct PrivatePostgres {
    dir: tempfile::TempDir,
    data: String,
    bin: PathBuf,
    pub port: u16,
}

impl PrivatePostgres {
    /// Starts one, or says why it cannot (no PostgreSQL server programs, no `postgres` user).
    pub fn start() -> Result<PrivatePostgres, String> {
        let bin = bin_dir().ok_or("no /usr/lib/postgresql/*/bin/pg_ctl (Debian's postgresql package)")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        // The server runs as `postgres`: it must reach the directory and own its data and socket directories.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        for sub in ["data", "run"] {
            std::fs::create_dir(dir.path().join(sub)).map_err(|e| e.to_string())?;
        }
        let chown = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path())
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !chown.success() {
            return Err("cannot give the data directory to the postgres user".into());
        }
        let [port] = crate::support::kannel::free_ports::<1>();
        let data = dir.path().join("data").display().to_string();
        let pg = PrivatePostgres { dir, data, bin, port };
        pg.as_postgres("initdb", &["-D", &pg.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])?;
        pg.pg_ctl("start")?;
        Ok(pg)
    }

    /// postgres://… for this server's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .map_err(|e| format!("runuser {program}: {e}"))?;
        match out.status.success() {
            true => Ok(()),
            false => Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }

    /// `pg_ctl start|restart|stop`, waiting until it is done.
    pub fn pg_ctl(&self, action: &str) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().join("run").display()
        );
        let log = self.dir.path().join("run/server.log").display().to_string();
        let mut args = vec!["-D", &self.data, "-o", &options, "-l", &log, "-w"];
        if action != "start" {
            args.extend(["-m", "fast"]);
        }
        args.push(action);
        self.as_postgres("pg_ctl", &args)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("run/server.log")).unwrap_or_default()
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.as_postgres("pg_ctl", &["-D", &self.data, "-m", "immediate", "-w", "stop"]);
    }
}
