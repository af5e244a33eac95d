//! Rough native timings of the hot paths, for the size work: run with
//! `cargo bench --bench native`. Not a benchmark suite (see
//! bench/ for that): a before/after sanity check only.

#![allow(clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Instant;

use makecall::dialplan::{validate, Plan, Preset};
use makecall::message::parse_message_text;
use makecall::model::{Call, CallState};
use makecall::tracker::CallTracker;

/// CPU time of this thread in seconds (Linux), which a busy shared machine
/// disturbs less than wall time; wall time elsewhere.
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn time(name: &str, iterations: u32, mut run: impl FnMut(u32)) {
    // One warm-up pass, then the best of five.
    run(0);
    let wall = Instant::now();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = cpu_seconds(wall);
        for i in 0..iterations {
            run(i);
        }
        best = best.min(cpu_seconds(wall) - start);
    }
    let per = best / f64::from(iterations) * 1e9;
    println!("{name:<40} {iterations:>7} x {per:>9.1} ns");
}

fn main() {
    let nanp = Plan::preset(Preset::Nanp);
    let numbers = [
        "(608) 555-9000",
        "+1 608 555 9000",
        "011 44 20 7946 0000",
        "1234",
        "６０８５５５９０００",
        "555-9000",
    ];
    time("validate (nanp, 6 numbers)", 100_000, |i| {
        let n = numbers[i as usize % numbers.len()];
        black_box(validate(black_box(n), &nanp).is_ok());
    });

    // Reading a calling code's data at its first use: linking its programs
    // and reading its records (what `numbering::load` and the embedded
    // presets do once), for the data files' encoding.
    let read = |codes: &[&str]| -> Vec<Vec<u8>> {
        codes
            .iter()
            .map(|code| std::fs::read(format!("metadata/cc-{code}.bin")).unwrap_or_default())
            .collect()
    };
    let presets = read(&["1", "91"]);
    let budget = read(&[
        "44", "49", "33", "55", "54", "81", "61", "52", "39", "34", "31", "32", "41", "43", "353",
        "48", "46", "351", "27", "63", "57", "82", "86", "64", "65",
    ]);
    for (name, files) in [
        ("read +1 and +91 (link + records)", &presets),
        ("read the 25 other budget codes", &budget),
    ] {
        time(name, 200, |_| {
            for bytes in files {
                let linked = makecall::numbering::LinkedFile::new(black_box(bytes));
                let regions = linked
                    .as_ref()
                    .and_then(makecall::numbering::CallingCode::parse)
                    .map_or(0, |code| code.regions.len());
                black_box(regions);
            }
        });
    }

    let fixture =
        std::fs::read_to_string("tests/fixtures/messages/state-alerting.json").unwrap_or_default();
    time("parse_message_text (state-alerting)", 100_000, |_| {
        black_box(parse_message_text(black_box(&fixture)).is_ok());
    });

    let states = [
        CallState::Initiating,
        CallState::Initiated,
        CallState::Alerting,
        CallState::Active,
        CallState::Dropped,
        CallState::WrapUp,
    ];
    // 100k applies over 3000 distinct ids: news, advances, evictions.
    let calls: Vec<Call> = (0..100_000u32)
        .map(|i| {
            let id = (i / 6) % 3000;
            Call::new(format!("{}", 16_931_876 + id), states[(i % 6) as usize])
        })
        .collect();
    time("tracker.apply x100k (3000 ids)", 1, |_| {
        let mut tracker = CallTracker::default();
        for (i, call) in calls.iter().enumerate() {
            black_box(tracker.apply(call, 1_700_000_000_000.0 + i as f64));
        }
    });
    // Only live calls: 1000 tracked at once, each apply scans all.
    let live: Vec<Call> = (0..100_000u32)
        .map(|i| {
            Call::new(
                format!("{}", 16_931_876 + i % 1000),
                states[((i / 1000) % 4) as usize],
            )
        })
        .collect();
    time("tracker.apply x100k (1000 live ids)", 1, |_| {
        let mut tracker = CallTracker::default();
        for (i, call) in live.iter().enumerate() {
            black_box(tracker.apply(call, 1_700_000_000_000.0 + i as f64));
        }
    });
}
