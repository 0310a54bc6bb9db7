//! The `laa` binary: parse arguments, run, turn errors into messages and exit codes.

fn main() -> std::process::ExitCode {
    laa::run(std::env::args_os())
}
