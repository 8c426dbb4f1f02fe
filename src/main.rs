use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    plancheck::cli::drop_empty_env();
    plancheck::cli::env::no_error_backtraces();
    let cli = plancheck::cli::env::parse();
    match plancheck::run(cli) {
        Ok(out) => {
            eprint!("{}", out.stderr);
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::from(out.code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(err) => {
            let mut msg = format!("error: {err}");
            for cause in err.chain().skip(1) {
                msg.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}
