use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    hejnal::cli::main().await
}
