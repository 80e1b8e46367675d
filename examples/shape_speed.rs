//! How fast the streaming response check runs over a `listAccounts` body:
//! `cargo run --profile fuzz --features testing --example shape_speed -- body.json`
//! (a body from the sandbox: `--seed-accounts 10000` gives 10,002 rows).
//! Prints MB/s of the shape check and of the plain JSON check.

#[cfg(feature = "testing")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use liveagent_reseller::ops;
    use liveagent_reseller::sansio::shape::{is_json, Shape};
    use std::time::Instant;

    let path = std::env::args()
        .nth(1)
        .ok_or("usage: shape_speed <body.json> [rounds]")?;
    let rounds: u32 = std::env::args().nth(2).map_or(Ok(20), |r| r.parse())?;
    let body = std::fs::read(path)?;
    let chunk = 64 * 1024;
    let mut best = f64::MAX;
    let mut edits = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        let mut shape = Shape::new(&ops::LIST_ACCOUNTS);
        for part in body.chunks(chunk) {
            shape.feed(part).map_err(|m| m.message())?;
        }
        shape.finish().map_err(|m| m.message())?;
        best = best.min(start.elapsed().as_secs_f64());
        if let Some(problem) = shape.problem() {
            return Err(problem.into());
        }
        edits = shape.output().edits.len();
    }
    let mut plain = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        let ok = is_json(&body);
        plain = plain.min(start.elapsed().as_secs_f64());
        if !ok {
            return Err("not JSON".into());
        }
    }
    let mb = body.len() as f64 / 1e6;
    println!(
        "{} bytes: shape {:.2} ms ({:.0} MB/s, {edits} edits); plain check {:.2} ms ({:.0} MB/s)",
        body.len(),
        best * 1e3,
        mb / best,
        plain * 1e3,
        mb / plain
    );
    Ok(())
}

#[cfg(not(feature = "testing"))]
fn main() {
    eprintln!("run with --features testing");
}
