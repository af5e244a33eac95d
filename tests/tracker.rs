#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::model::{Call, CallState, Direction};
use makecall::tracker::{
    CallTracker, Change, DEFAULT_MAX_ENDED_CALLS, MAX_HISTORY, MAX_LIVE_CALLS,
};

use CallState::*;

fn call(id: &str, state: CallState) -> Call {
    Call::new(id, state)
}

fn unknown(id: &str, raw: &str) -> Call {
    let mut c = Call::new(id, Unknown);
    c.raw_state = raw.to_string();
    c
}

/// Applies `states` in order to one call and returns each change and the final state.
fn run(states: &[CallState]) -> (Vec<Change>, CallState) {
    let mut tracker = CallTracker::default();
    let mut changes = Vec::new();
    let mut last = None;
    for (i, state) in states.iter().enumerate() {
        let (change, snap) = tracker.apply(&call("1", *state), i as f64);
        changes.push(change);
        last = Some(snap.state);
    }
    (changes, last.unwrap())
}

#[test]
fn rules_table() {
    use Change::{Advanced as A, Duplicate as D, New as N, Stale as S};
    let table: &[(&[CallState], &[Change], CallState)] = &[
        // The happy outbound path.
        (
            &[Initiating, Initiated, Alerting, Active, Dropped],
            &[N, A, A, A, A],
            Dropped,
        ),
        // Repeats are duplicates.
        (&[Initiating, Initiating], &[N, D], Initiating),
        (&[Alerting, Alerting, Alerting], &[N, D, D], Alerting),
        // Backwards is stale and ignored.
        (&[Alerting, Initiated], &[N, S], Alerting),
        (&[Active, Initiating], &[N, S], Active),
        (&[Active, Alerting], &[N, S], Active),
        // Skipped states are fine (forwards).
        (&[Initiating, Active], &[N, A], Active),
        // active and held alternate.
        (&[Active, Held, Active, Held], &[N, A, A, A], Held),
        (&[Held, Alerting], &[N, S], Held),
        // accepted sits between alerting and active.
        (&[Alerting, Accepted, Active], &[N, A, A], Active),
        (&[Accepted, Alerting], &[N, S], Accepted),
        // Ends: nothing but wrapUp after dropped/failed.
        (&[Active, Dropped, Active], &[N, A, S], Dropped),
        (&[Active, Dropped, Failed], &[N, A, S], Dropped),
        (&[Initiated, Failed, Dropped], &[N, A, S], Failed),
        (&[Initiated, Failed, Alerting], &[N, A, S], Failed),
        (&[Dropped, WrapUp], &[N, A], WrapUp),
        (&[Failed, WrapUp], &[N, A], WrapUp),
        // wrapUp may be followed by dropped, once.
        (&[Active, WrapUp, Dropped], &[N, A, A], Dropped),
        (
            &[Active, Dropped, WrapUp, Dropped, Dropped, WrapUp],
            &[N, A, A, A, D, S],
            Dropped,
        ),
        (&[WrapUp, WrapUp], &[N, D], WrapUp),
        (&[WrapUp, Active], &[N, S], WrapUp),
        (&[WrapUp, Failed], &[N, S], WrapUp),
        // A live call may end from any live state.
        (&[Initiating, Failed], &[N, A], Failed),
        (&[Held, WrapUp], &[N, A], WrapUp),
        (&[Dropped, Dropped], &[N, D], Dropped),
    ];
    for (states, expected, final_state) in table {
        let (changes, last) = run(states);
        assert_eq!(&changes[..], *expected, "changes for {states:?}");
        assert_eq!(last, *final_state, "final state for {states:?}");
    }
}

#[test]
fn unknown_is_kept_but_never_moves_the_call() {
    let mut t = CallTracker::default();
    t.apply(&call("1", Alerting), 1.0);
    let (change, snap) = t.apply(&unknown("1", "SOMETHING_NEW"), 2.0);
    // Recorded, but the call did not advance (issue 12).
    assert_eq!(change, Change::Unknown);
    assert_eq!(change.as_str(), "unknown");
    assert!(change.is_accepted());
    assert_eq!(snap.state, Alerting);
    assert_eq!(snap.history.len(), 2);
    assert_eq!(snap.history[1].state, Unknown);
    assert_eq!(snap.history[1].raw.as_deref(), Some("SOMETHING_NEW"));
    assert_eq!(snap.updated_at, 2.0);
    // The same raw value again is a duplicate.
    let (change, snap) = t.apply(&unknown("1", "something_new"), 3.0);
    assert_eq!(change, Change::Duplicate);
    assert_eq!(snap.history.len(), 2);
    // The call still advances normally.
    let (change, snap) = t.apply(&call("1", Active), 4.0);
    assert_eq!(change, Change::Advanced);
    assert_eq!(snap.state, Active);
    assert_eq!(snap.previous_state, Some(Alerting));
    // After the end, unknown is stale.
    t.apply(&call("1", Dropped), 5.0);
    let (change, snap) = t.apply(&unknown("1", "LATER"), 6.0);
    assert_eq!(change, Change::Stale);
    assert_eq!(snap.state, Dropped);
}

#[test]
fn a_call_first_seen_unknown_advances_to_any_known_state() {
    let mut t = CallTracker::default();
    let (change, snap) = t.apply(&unknown("1", "ODD"), 1.0);
    assert_eq!(change, Change::New);
    assert_eq!(snap.state, Unknown);
    let (change, snap) = t.apply(&call("1", Initiating), 2.0);
    assert_eq!(change, Change::Advanced);
    assert_eq!(snap.state, Initiating);
    assert_eq!(snap.previous_state, Some(Unknown));
}

#[test]
fn calls_are_tracked_independently() {
    let mut t = CallTracker::default();
    assert_eq!(t.apply(&call("a", Active), 1.0).0, Change::New);
    assert_eq!(t.apply(&call("b", Initiating), 2.0).0, Change::New);
    assert_eq!(t.apply(&call("b", Alerting), 3.0).0, Change::Advanced);
    assert_eq!(t.apply(&call("a", Held), 4.0).0, Change::Advanced);
    assert_eq!(t.snapshot("a").unwrap().state, Held);
    assert_eq!(t.snapshot("b").unwrap().state, Alerting);
    let ids: Vec<String> = t.calls().into_iter().map(|c| c.call_id).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(t.contains("a") && t.contains("b") && !t.contains("c"));
    assert!(t.snapshot("c").is_none());
}

#[test]
fn snapshot_merges_fields_and_times() {
    let mut t = CallTracker::default();
    let mut first = call("7", Initiating);
    first.direction = Direction::Outbound;
    first.to_address = Some("6085559000".into());
    t.apply(&first, 100.0);

    // A stale or duplicate message changes nothing, fields included.
    let mut dup = call("7", Initiating);
    dup.to_address = Some("999".into());
    let (change, snap) = t.apply(&dup, 150.0);
    assert_eq!(change, Change::Duplicate);
    assert_eq!(snap.to_address.as_deref(), Some("6085559000"));
    assert_eq!(snap.updated_at, 100.0);

    // Newer non-empty wins; empty and absent keep the old value.
    let mut next = call("7", Initiated);
    next.to_address = Some("  ".into());
    next.dialed_number = Some("916085559000".into());
    let (change, snap) = t.apply(&next, 200.0);
    assert_eq!(change, Change::Advanced);
    assert_eq!(snap.to_address.as_deref(), Some("6085559000"));
    assert_eq!(snap.dialed_number.as_deref(), Some("916085559000"));
    assert_eq!(snap.direction, Direction::Outbound);
    assert_eq!(snap.started_at, 100.0);
    assert_eq!(snap.updated_at, 200.0);
    assert_eq!(snap.previous_state, Some(Initiating));
    let states: Vec<(CallState, f64)> = snap.history.iter().map(|h| (h.state, h.at)).collect();
    assert_eq!(states, [(Initiating, 100.0), (Initiated, 200.0)]);

    // The failure's cause survives a later wrap-up with another cause.
    let mut failed = call("7", Failed);
    failed.cause = Some("BUSY".into());
    let (_, snap) = t.apply(&failed, 300.0);
    assert_eq!(snap.cause.as_deref(), Some("BUSY"));
    let mut wrap = call("7", WrapUp);
    wrap.cause = Some("NORMAL".into());
    let (change, snap) = t.apply(&wrap, 400.0);
    assert_eq!(change, Change::Advanced);
    assert_eq!(snap.cause.as_deref(), Some("BUSY"));
    assert!(snap.has_failed());
}

#[test]
fn history_is_bounded() {
    let mut t = CallTracker::default();
    t.apply(&call("1", Active), 0.0);
    for i in 1..100 {
        let state = if i % 2 == 1 { Held } else { Active };
        assert_eq!(t.apply(&call("1", state), i as f64).0, Change::Advanced);
    }
    let snap = t.snapshot("1").unwrap();
    assert_eq!(snap.history.len(), MAX_HISTORY);
    // The newest entries are the ones kept.
    assert_eq!(snap.history.last().unwrap().at, 99.0);
}

#[test]
fn ended_calls_are_evicted_beyond_the_limit() {
    let mut t = CallTracker::new(3);
    for i in 0..5 {
        let id = i.to_string();
        t.apply(&call(&id, Active), i as f64);
        t.apply(&call(&id, Dropped), i as f64);
    }
    assert_eq!(t.len(), 3);
    assert_eq!(t.evicted(), 2);
    // The oldest ended go first.
    assert!(!t.contains("0") && !t.contains("1"));
    assert!(t.contains("2") && t.contains("4"));
    // Live calls are not evicted by the ended limit.
    t.apply(&call("live", Active), 10.0);
    assert!(t.contains("live"));
    assert_eq!(t.len(), 4);
}

#[test]
fn default_limit_is_fifty_ended_calls() {
    let mut t = CallTracker::default();
    assert_eq!(t.max_ended_calls(), DEFAULT_MAX_ENDED_CALLS);
    for i in 0..80 {
        t.apply(&call(&i.to_string(), Dropped), 0.0);
    }
    assert_eq!(t.len(), DEFAULT_MAX_ENDED_CALLS);
    assert_eq!(t.evicted(), 30);
}

#[test]
fn zero_ended_calls_still_returns_the_snapshot() {
    let mut t = CallTracker::new(0);
    let (change, snap) = t.apply(&call("1", Failed), 1.0);
    assert_eq!(change, Change::New);
    assert_eq!(snap.state, Failed);
    assert!(t.is_empty());
}

#[test]
fn live_calls_are_capped_least_recently_advanced_first() {
    let mut t = CallTracker::with_limits(50, 3);
    t.apply(&call("a", Initiating), 0.0);
    t.apply(&call("b", Initiating), 1.0);
    t.apply(&call("c", Initiating), 2.0);
    // "a" advances, so "b" becomes the least recently advanced.
    t.apply(&call("a", Alerting), 3.0);
    t.apply(&call("d", Initiating), 4.0);
    assert!(t.contains("a") && !t.contains("b") && t.contains("c") && t.contains("d"));
    assert_eq!(t.evicted(), 1);
}

#[test]
fn a_flood_of_100000_calls_stays_bounded() {
    let mut t = CallTracker::default();
    for i in 0..100_000u32 {
        let id = i.to_string();
        t.apply(&call(&id, Initiating), f64::from(i));
        if i % 2 == 0 {
            t.apply(&call(&id, Dropped), f64::from(i));
        }
        assert!(t.len() <= MAX_LIVE_CALLS + DEFAULT_MAX_ENDED_CALLS);
    }
    assert_eq!(t.calls().len(), MAX_LIVE_CALLS + DEFAULT_MAX_ENDED_CALLS);
    assert_eq!(
        t.evicted(),
        100_000 - (MAX_LIVE_CALLS + DEFAULT_MAX_ENDED_CALLS) as u64
    );
    // The newest calls are the ones kept.
    assert!(t.contains("99999") && t.contains("99998"));
}

#[test]
fn an_evicted_call_comes_back_as_new() {
    let mut t = CallTracker::new(1);
    t.apply(&call("a", Dropped), 0.0);
    t.apply(&call("b", Dropped), 1.0);
    assert!(!t.contains("a"));
    assert_eq!(t.apply(&call("a", WrapUp), 2.0).0, Change::New);
}

#[test]
fn long_fields_are_truncated_on_a_char_boundary() {
    let mut t = CallTracker::default();
    let mut c = unknown("1", &"é".repeat(1000));
    c.to_address = Some("9".repeat(5000));
    let (_, snap) = t.apply(&c, 0.0);
    assert_eq!(snap.to_address.unwrap().len(), 128);
    assert_eq!(snap.history[0].raw.as_ref().unwrap().chars().count(), 128);
}

#[test]
fn snapshot_json_shape() {
    let mut t = CallTracker::default();
    let mut c = call("16930170", Initiated);
    c.direction = Direction::Outbound;
    c.to_address = Some("908688553209".into());
    t.apply(&call("16930170", Initiating), 1000.0);
    let (_, snap) = t.apply(&c, 1500.5);
    assert_eq!(
        serde_json::to_string(&snap).unwrap(),
        r#"{"callId":"16930170","state":"initiated","previousState":"initiating","direction":"outbound","toAddress":"908688553209","startedAt":1000.0,"updatedAt":1500.5,"history":[{"state":"initiating","at":1000.0},{"state":"initiated","at":1500.5}]}"#
    );
    let (_, snap) = t.apply(&unknown("x", "Odd\"State"), 1.0);
    assert_eq!(
        serde_json::to_string(&snap).unwrap(),
        r#"{"callId":"x","state":"unknown","direction":"unknown","startedAt":1.0,"updatedAt":1.0,"history":[{"state":"unknown","raw":"Odd\"State","at":1.0}]}"#
    );
    let out = serde_json::to_string(&makecall::tracker::Applied {
        change: Change::New,
        call: &snap,
    })
    .unwrap();
    assert!(out.starts_with(r#"{"change":"new","call":{"callId":"x""#));
}

// ---------------------------------------------------------- forgotten calls

#[test]
fn a_forgotten_call_keeps_its_state_and_counts_as_ended() {
    let mut tracker = CallTracker::default();
    tracker.apply(&call("1", Initiating), 1.0);
    tracker.apply(&call("1", Active), 2.0);
    tracker.apply(&call("2", Alerting), 3.0);
    assert_eq!(tracker.latest_live_call().unwrap().call_id, "2");
    let forgotten = tracker.forget("2", 4.0).unwrap();
    assert_eq!(
        (
            forgotten.state,
            forgotten.forgotten_at,
            forgotten.updated_at
        ),
        (Alerting, Some(4.0), 3.0)
    );
    assert_eq!(tracker.snapshot("2"), Some(forgotten));
    assert_eq!(tracker.latest_live_call().unwrap().call_id, "1");
    assert!(tracker.forget("1", 5.0).is_some());
    assert_eq!(tracker.latest_live_call(), None);
    assert_eq!(tracker.len(), 2, "both still tracked");
    assert_eq!(tracker.forget("1", 6.0), None, "already forgotten");
    assert_eq!(tracker.forget("3", 6.0), None, "unknown");
    tracker.apply(&call("3", Dropped), 7.0);
    assert_eq!(tracker.forget("3", 8.0), None, "ended");
    assert_eq!(tracker.snapshot("3").unwrap().forgotten_at, None);
}

#[test]
fn forgotten_calls_are_kept_and_evicted_with_the_ended_ones() {
    // One ended call kept: forgetting a second evicts the first ended one.
    let mut tracker = CallTracker::new(1);
    tracker.apply(&call("1", Dropped), 1.0);
    tracker.apply(&call("2", Active), 2.0);
    tracker.forget("2", 3.0).unwrap();
    assert!(!tracker.contains("1") && tracker.contains("2"));
    assert_eq!(tracker.evicted(), 1);
    // None kept: a forgotten call goes at once (a late event for it is new).
    let mut none = CallTracker::new(0);
    none.apply(&call("1", Active), 1.0);
    assert!(none.forget("1", 2.0).is_some());
    assert!(none.is_empty());
    assert_eq!(none.apply(&call("1", Dropped), 3.0).0, Change::New);
    // Forgotten calls leave room for live ones.
    let mut two = CallTracker::with_limits(DEFAULT_MAX_ENDED_CALLS, 2);
    two.apply(&call("1", Active), 1.0);
    two.apply(&call("2", Active), 2.0);
    two.forget("1", 3.0).unwrap();
    two.apply(&call("3", Active), 4.0);
    assert_eq!(two.call_ids().collect::<Vec<_>>(), ["1", "2", "3"]);
    assert_eq!(two.evicted(), 0);
}

#[test]
fn later_changes_of_a_forgotten_call_follow_the_rules() {
    let forgotten = || {
        let mut tracker = CallTracker::with_limits(1, 2);
        tracker.apply(&call("1", Active), 1.0);
        tracker.forget("1", 2.0).unwrap();
        tracker
    };
    // Its end is accepted and keeps the mark.
    for end in [Dropped, Failed, WrapUp] {
        let mut tracker = forgotten();
        let (change, snap) = tracker.apply(&call("1", end), 3.0);
        assert_eq!(change, Change::Advanced, "{end:?}");
        assert_eq!((snap.state, snap.forgotten_at), (end, Some(2.0)));
        assert_eq!(tracker.latest_live_call(), None);
    }
    // Repeats, late states and unknown states leave it forgotten.
    let mut tracker = forgotten();
    assert_eq!(tracker.apply(&call("1", Active), 3.0).0, Change::Duplicate);
    assert_eq!(tracker.apply(&call("1", Alerting), 4.0).0, Change::Stale);
    let (change, snap) = tracker.apply(&unknown("1", "PARKED"), 5.0);
    assert_eq!(change, Change::Unknown);
    assert_eq!(snap.forgotten_at, Some(2.0));
    assert_eq!(tracker.latest_live_call(), None);
    // Moving on while up makes it live again, with the limits kept: one
    // ended call at most, two live.
    let (change, snap) = tracker.apply(&call("1", Held), 6.0);
    assert_eq!(change, Change::Advanced);
    assert_eq!(snap.forgotten_at, None);
    assert_eq!(tracker.latest_live_call().unwrap().call_id, "1");
    tracker.apply(&call("2", Dropped), 7.0);
    tracker.apply(&call("3", Dropped), 8.0);
    assert_eq!(tracker.call_ids().collect::<Vec<_>>(), ["1", "3"]);
    tracker.apply(&call("4", Active), 9.0);
    tracker.apply(&call("5", Active), 10.0);
    assert_eq!(
        tracker.call_ids().collect::<Vec<_>>(),
        ["3", "4", "5"],
        "1 was the oldest live"
    );
}
