//! The seed of a test's random choices: `OBEYA_TEST_SEED` replays a run, otherwise a new
//! one from the clock. Printed, so a failure can be replayed.

pub fn seed(test: &str) -> u64 {
    let seed = match std::env::var("OBEYA_TEST_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("OBEYA_TEST_SEED={s:?} is not a whole number")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    };
    eprintln!("{test}: seed {seed} (replay with OBEYA_TEST_SEED={seed})");
    seed
}
