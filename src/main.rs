//! The `laa` binary: parse arguments, run, turn errors into messages and exit codes.

/// mimalloc rather than glibc's allocator: each thread allocates from pages of its own and memory
/// freed is reused rather than handed back and faulted in again. Against glibc (interleaved runs,
/// the national bench): `rate --area all` 0.52 → 0.30 s, the import 0.91 → 0.86 s, the report
/// 1.79 → 1.65 s; at four times the data every command stays under 1 GiB (bench/NOTES.md).
/// Without transparent huge pages: with them a run could stall on the kernel compacting memory.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    laa::run(std::env::args_os())
}
