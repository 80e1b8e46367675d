//! `sandbox`: the command line around [`sandbox::serve`].

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = match sandbox::config::parse_args(std::env::args_os().skip(1)) {
        Ok(config) => config,
        Err(error) => {
            // Help goes to stdout with 0, a bad flag to stderr with 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("sandbox: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let (addr, server) = match sandbox::serve(config.clone()).await {
            Ok(started) => started,
            Err(error) => {
                eprintln!(
                    "sandbox: cannot listen on {}:{}: {error}",
                    config.host, config.port
                );
                return ExitCode::FAILURE;
            }
        };
        // Tests and scripts read the port from this; a closed stdout must
        // not stop the server.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(sandbox::banner(addr, &config).as_bytes());
        let _ = out.flush();
        drop(out);
        match server.await {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        }
    })
}
