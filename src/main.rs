//! The `flinktune` binary: runs the library and turns its outcome into an exit status
//! (0 clean, 1 findings at error level, 2 usage or runtime error).

use std::process::ExitCode;

fn main() -> ExitCode {
    match flinktune::run(std::env::args_os()) {
        Ok(status) => ExitCode::from(status.exit_code()),
        Err(error) => {
            eprintln!("{}", flinktune::error_line(&error));
            ExitCode::from(error.exit_code())
        }
    }
}
