//! The `reset-eval` binary: everything happens in [`reset_eval::cli`].

fn main() -> std::process::ExitCode {
    reset_eval::cli::main()
}
