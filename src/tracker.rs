//! Call tracking: one record per call id, advanced by state changes that
//! follow Finesse's state model, with duplicates and late (out-of-order)
//! events recognised instead of rolling a call back.
//!
//! # Rules
//!
//! Known states are ranked:
//!
//! | rank | states |
//! |---|---|
//! | 0 | `unknown` (only ever the state of a call first seen in an unknown state) |
//! | 1 | `initiating` |
//! | 2 | `initiated` |
//! | 3 | `alerting` |
//! | 4 | `accepted` (an outbound-preview reservation the agent accepted; Finesse sends it after the reservation rang, before the call goes active) |
//! | 5 | `active`, `held` (these two may alternate freely) |
//! | end | `wrapUp`, `dropped`, `failed` |
//!
//! For a call already tracked in state `S`, a state `T`:
//! - equal to `S` is [`Change::Duplicate`] and changes nothing;
//! - while the call is live (not ended): `T` of a higher rank, `T` in the end
//!   group, or an `active`/`held` swap is [`Change::Advanced`]; a lower rank is
//!   [`Change::Stale`];
//! - after `dropped`/`failed`: only a first `wrapUp` (after-call work reported
//!   after the drop) is accepted; everything else is stale;
//! - after `wrapUp`: only `dropped` is accepted (the final end); a second
//!   `dropped` is then a duplicate and a second `wrapUp` is stale;
//! - `unknown` on a live call is kept: it is recorded in `history` with its raw
//!   value and reported as [`Change::Unknown`] (not `Advanced`: the call did
//!   not move), and `state` stays what it was
//!   (an unknown value must never move a call backwards, and it cannot be
//!   ranked forwards either). The same raw value again right after it is a
//!   duplicate; any unknown value after the end is stale.
//!
//! # Forgotten calls
//!
//! The workspace's end of a call (`dropped`, `failed`, `wrapUp`) can fail
//! to reach the gadget: a message lost on the channel, a hub reconnect that
//! dropped the subscription, a gadget reloaded mid-call. Nothing then ever
//! ends the call here, and it would count as live until evicted.
//! [`CallTracker::forget`] ends its tracking locally: the call keeps the
//! state the workspace last reported (no state is made up for it), gets
//! `forgottenAt` (when it was forgotten) and from then on counts as ended
//! (it no longer counts as live, and is kept and evicted with the ended
//! calls). Later state changes for its id follow the rules above as for
//! the live call it was:
//! - an end state is accepted (`advanced`) and ends it for real; it keeps
//!   `forgottenAt`, which shows it had been forgotten before its end arrived;
//! - a live state that moves it forward (`held` after `active`, `active`
//!   after `alerting`) is accepted too and makes it live again, without
//!   `forgottenAt`: the workspace says the call is still up;
//! - a duplicate or stale state changes nothing (it stays forgotten), and an
//!   unknown state is recorded in its history without making it live.
//!
//! # Limits
//!
//! Memory is bounded whatever a transport delivers: at most
//! `max_ended_calls` ended calls (oldest ended evicted first), at most
//! [`MAX_LIVE_CALLS`] live calls (least recently advanced evicted first, so a
//! flood of distinct ids cannot grow the tracker), [`MAX_HISTORY`] history
//! entries per call (oldest dropped) and [`MAX_FIELD_CHARS`] characters per
//! stored text field.
//!
//! The calls live in one vector in the order they were first seen, found by
//! a scan over a parallel vector of small keys (a 32-bit id hash, the
//! sequence number of the last accepted change, whether it ended): with at most
//! [`MAX_LIVE_CALLS`] + `max_ended_calls` entries this is a few microseconds
//! at worst, and it keeps hash maps, B-trees and sorting out of the wasm a
//! gadget downloads.

use serde::Serialize;

use crate::error::{Code, Error};
use crate::model::{Call, CallState, Direction};
use crate::options::Options;
use crate::text::serialize_as_str;

/// Default number of ended calls kept before the oldest are evicted.
pub const DEFAULT_MAX_ENDED_CALLS: usize = 50;
/// Largest accepted `max_ended_calls` (larger values are clamped to it).
pub const MAX_ENDED_CALLS_LIMIT: usize = 10_000;
/// Most live (not ended) calls kept; beyond it the least recently advanced is evicted.
pub const MAX_LIVE_CALLS: usize = 1000;
/// Most history entries kept per call; beyond it the oldest entry is dropped.
pub const MAX_HISTORY: usize = 32;
/// Longest stored text field (address, cause, raw state), in characters.
pub const MAX_FIELD_CHARS: usize = 128;

/// What a state change did to the tracked call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// First state seen for this call id.
    New,
    /// The call moved forward.
    Advanced,
    /// The same state again; nothing changed.
    Duplicate,
    /// A state that would move the call backwards; ignored.
    Stale,
    /// A state value the tracker does not know: recorded in the call's
    /// history (with its raw value), its `state` unchanged.
    Unknown,
}

impl Change {
    /// The JS name (`"new"`, `"advanced"`, `"duplicate"`, `"stale"`, `"unknown"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Advanced => "advanced",
            Change::Duplicate => "duplicate",
            Change::Stale => "stale",
            Change::Unknown => "unknown",
        }
    }

    /// Whether the change was recorded (`new`, `advanced` or `unknown`).
    pub fn is_accepted(self) -> bool {
        matches!(self, Change::New | Change::Advanced | Change::Unknown)
    }
}

serialize_as_str!(Change);

/// One accepted state of a call, with the time it was accepted:
/// `{state, raw?, at}` in JS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// The normalised state.
    pub state: CallState,
    /// The raw value, kept only for `unknown` states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// When it was accepted, in ms since the epoch.
    pub at: f64,
}

impl HistoryEntry {}

/// A tracked call's snapshot: `{callId, state, previousState?, direction,
/// toAddress?, dialedNumber?, cause?, startedAt, updatedAt, history}` in JS.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallSnapshot {
    /// The call id.
    pub call_id: String,
    /// The current state.
    pub state: CallState,
    /// The state before the last state change, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_state: Option<CallState>,
    /// The latest known direction.
    pub direction: Direction,
    /// The latest non-empty called address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_address: Option<String>,
    /// The latest non-empty dialled number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialed_number: Option<String>,
    /// The latest non-empty cause; once the call failed, the failure's cause is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// When the call was first seen (ms since the epoch).
    pub started_at: f64,
    /// When the call last accepted a change (ms since the epoch).
    pub updated_at: f64,
    /// The accepted states, oldest first (at most [`MAX_HISTORY`]).
    pub history: Vec<HistoryEntry>,
    /// When [`CallTracker::forget`] ended the call's tracking locally (ms
    /// since the epoch), while its state was still live: the workspace never
    /// reported its end. Absent for every other call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forgotten_at: Option<f64>,
}

impl CallSnapshot {
    /// Whether the call has ended (`dropped`, `failed` or `wrapUp`).
    pub fn is_ended(&self) -> bool {
        is_end(self.state)
    }

    /// Whether the call counts as live: not ended and not forgotten (see
    /// [`CallTracker::forget`]).
    pub fn is_live(&self) -> bool {
        !self.is_ended() && self.forgotten_at.is_none()
    }

    /// Whether the call failed at some point (its state or a kept history entry).
    pub fn has_failed(&self) -> bool {
        self.state == CallState::Failed || self.history.iter().any(|h| h.state == CallState::Failed)
    }
}

/// One tracked call with the bookkeeping the rules need.
#[derive(Debug)]
struct Entry {
    snap: CallSnapshot,
    /// A `wrapUp` was accepted, so a later `wrapUp` is stale.
    wrap_up_seen: bool,
    /// The call failed; its cause must survive later messages.
    failed: bool,
}

/// Tracks calls by id.
#[derive(Debug)]
pub struct CallTracker {
    /// The calls, first seen first. Boxed so that removing one moves
    /// pointers, not whole entries.
    #[allow(clippy::vec_box)]
    calls: Vec<Box<Entry>>,
    /// `keys[i]` describes `calls[i]`; scans read these, not the entries.
    keys: Vec<Key>,
    /// How many of `calls` have ended.
    ended: usize,
    seq: u64,
    max_ended: usize,
    max_live: usize,
    evicted: u64,
}

impl Default for CallTracker {
    fn default() -> Self {
        CallTracker::new(DEFAULT_MAX_ENDED_CALLS)
    }
}

/// Ends the call for the eviction policy and for the "only wrapUp/dropped
/// after the end" rules.
fn is_end(state: CallState) -> bool {
    matches!(
        state,
        CallState::WrapUp | CallState::Dropped | CallState::Failed
    )
}

/// What the scans of [`CallTracker`] need to know about a call.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// `id_hash` of the call id.
    hash: u32,
    /// Whether the call has ended (or was forgotten): not live.
    ended: bool,
    /// Sequence number of the last accepted change: the oldest goes first
    /// when a limit is exceeded.
    order: u64,
}

/// FNV-1a of a call id: a cheap filter before comparing ids.
pub(crate) fn id_hash(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Rank of a live state; end states are handled separately.
fn rank(state: CallState) -> u8 {
    match state {
        CallState::Unknown => 0,
        CallState::Initiating => 1,
        CallState::Initiated => 2,
        CallState::Alerting => 3,
        CallState::Accepted => 4,
        CallState::Active | CallState::Held => 5,
        CallState::WrapUp | CallState::Dropped | CallState::Failed => 6,
    }
}

/// Trimmed, non-empty, at most [`MAX_FIELD_CHARS`] characters.
fn clean(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    if text.is_empty() {
        return None;
    }
    Some(text.chars().take(MAX_FIELD_CHARS).collect())
}

fn history_entry(call: &Call, at: f64) -> HistoryEntry {
    HistoryEntry {
        state: call.state,
        raw: if call.state == CallState::Unknown {
            clean(Some(&call.raw_state)).or_else(|| Some(String::new()))
        } else {
            None
        },
        at,
    }
}

/// Decides what `call` does to `entry` under the rules of the module docs.
fn decide(entry: &Entry, call: &Call) -> Change {
    let current = entry.snap.state;
    let next = call.state;
    if next == CallState::Unknown {
        if entry.snap.is_ended() {
            return Change::Stale;
        }
        let raw = clean(Some(&call.raw_state)).unwrap_or_default();
        let repeated = entry.snap.history.last().is_some_and(|last| {
            last.state == CallState::Unknown
                && last
                    .raw
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(&raw))
        });
        return if repeated {
            Change::Duplicate
        } else {
            Change::Unknown
        };
    }
    if next == current {
        return Change::Duplicate;
    }
    match current {
        CallState::Dropped | CallState::Failed => {
            if next == CallState::WrapUp && !entry.wrap_up_seen {
                Change::Advanced
            } else {
                Change::Stale
            }
        }
        CallState::WrapUp => {
            if next == CallState::Dropped {
                Change::Advanced
            } else {
                Change::Stale
            }
        }
        _ => {
            let swap = matches!(
                (current, next),
                (CallState::Active, CallState::Held) | (CallState::Held, CallState::Active)
            );
            if swap || is_end(next) || rank(next) > rank(current) {
                Change::Advanced
            } else {
                Change::Stale
            }
        }
    }
}

impl CallTracker {
    /// A tracker keeping at most `max_ended_calls` ended calls (clamped to
    /// [`MAX_ENDED_CALLS_LIMIT`]) and at most [`MAX_LIVE_CALLS`] live ones.
    pub fn new(max_ended_calls: usize) -> Self {
        CallTracker::with_limits(max_ended_calls, MAX_LIVE_CALLS)
    }

    /// A tracker with both limits given (`max_ended_calls` clamped to
    /// [`MAX_ENDED_CALLS_LIMIT`], `max_live_calls` to [`MAX_LIVE_CALLS`], at least 1).
    pub fn with_limits(max_ended_calls: usize, max_live_calls: usize) -> Self {
        CallTracker {
            calls: Vec::new(),
            keys: Vec::new(),
            ended: 0,
            seq: 0,
            max_ended: max_ended_calls.min(MAX_ENDED_CALLS_LIMIT),
            max_live: max_live_calls.clamp(1, MAX_LIVE_CALLS),
            evicted: 0,
        }
    }

    fn next_seq(&mut self) -> u64 {
        // u64 cannot wrap in practice (one per event); wrapping_add just
        // keeps the arithmetic panic-free.
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// The position of a call in `calls`.
    fn find(&self, call_id: &str) -> Option<usize> {
        let hash = id_hash(call_id);
        // Plain loops: also fast in unoptimised test builds.
        for (i, key) in self.keys.iter().enumerate() {
            if key.hash == hash && self.calls.get(i).is_some_and(|e| e.snap.call_id == call_id) {
                return Some(i);
            }
        }
        None
    }

    /// Applies one state change at time `now_ms` (ms since the epoch).
    ///
    /// Returns what it did and the call's snapshot after it. A duplicate or
    /// stale change leaves the call (including `updatedAt`) untouched.
    pub fn apply(&mut self, call: &Call, now_ms: f64) -> (Change, CallSnapshot) {
        let seq = self.next_seq();
        let found = self.find(&call.call_id);
        let slot = found.and_then(|i| Some((self.calls.get_mut(i)?, self.keys.get_mut(i)?)));
        let (change, snapshot) = match slot {
            None => {
                let snap = CallSnapshot {
                    call_id: call.call_id.clone(),
                    state: call.state,
                    previous_state: None,
                    direction: call.direction,
                    to_address: clean(call.to_address.as_deref()),
                    dialed_number: clean(call.dialed_number.as_deref()),
                    cause: clean(call.cause.as_deref()),
                    started_at: now_ms,
                    updated_at: now_ms,
                    history: vec![history_entry(call, now_ms)],
                    forgotten_at: None,
                };
                let entry = Entry {
                    wrap_up_seen: call.state == CallState::WrapUp,
                    failed: call.state == CallState::Failed,
                    snap: snap.clone(),
                };
                if snap.is_ended() {
                    self.ended += 1;
                }
                self.calls.push(Box::new(entry));
                self.keys.push(Key {
                    hash: id_hash(&call.call_id),
                    ended: snap.is_ended(),
                    order: seq,
                });
                (Change::New, snap)
            }
            Some((entry, key)) => {
                let change = decide(entry, call);
                if matches!(change, Change::Advanced | Change::Unknown) {
                    let was_ended = key.ended;
                    advance(entry, call, now_ms);
                    if change == Change::Advanced && !entry.snap.is_ended() {
                        // A forgotten call moved on in a live state: the
                        // workspace says it is up, so it is live again.
                        entry.snap.forgotten_at = None;
                    }
                    key.order = seq;
                    key.ended = !entry.snap.is_live();
                    // Only a forgotten call can go from ended back to live.
                    if !was_ended && key.ended {
                        self.ended += 1;
                    } else if was_ended && !key.ended {
                        self.ended = self.ended.saturating_sub(1);
                    }
                }
                (change, entry.snap.clone())
            }
        };
        self.evict();
        (change, snapshot)
    }

    fn evict(&mut self) {
        while self.ended > self.max_ended && self.evict_oldest(true) {
            self.ended -= 1;
        }
        while self.calls.len().saturating_sub(self.ended) > self.max_live
            && self.evict_oldest(false)
        {}
    }

    /// Removes the ended (or live) call whose last accepted change is the
    /// oldest; false if there is none.
    fn evict_oldest(&mut self, ended: bool) -> bool {
        let mut oldest: Option<(usize, u64)> = None;
        for (i, key) in self.keys.iter().enumerate() {
            if key.ended == ended && oldest.is_none_or(|(_, order)| key.order < order) {
                oldest = Some((i, key.order));
            }
        }
        let Some((i, _)) = oldest else {
            return false;
        };
        self.calls.remove(i);
        self.keys.remove(i);
        self.evicted = self.evicted.saturating_add(1);
        true
    }

    /// Ends the tracking of the live call `call_id` locally at `now_ms`, for
    /// a call whose end never reached the gadget (see the module docs,
    /// "Forgotten calls"): it keeps its state, gets `forgotten_at` and
    /// counts as ended from now on.
    ///
    /// Returns its snapshot after that, or `None` when no live call has this
    /// id (unknown, evicted, ended, or already forgotten), in which case
    /// nothing changes.
    pub fn forget(&mut self, call_id: &str, now_ms: f64) -> Option<CallSnapshot> {
        let i = self.find(call_id)?;
        if self.keys.get(i)?.ended {
            return None;
        }
        let seq = self.next_seq();
        let entry = self.calls.get_mut(i)?;
        let key = self.keys.get_mut(i)?;
        entry.snap.forgotten_at = Some(now_ms);
        key.ended = true;
        // The most recently ended: the last of the ended calls to be evicted.
        key.order = seq;
        self.ended += 1;
        let snapshot = entry.snap.clone();
        self.evict();
        Some(snapshot)
    }

    /// Snapshots of every tracked call, oldest (first seen) first.
    pub fn calls(&self) -> Vec<CallSnapshot> {
        self.calls.iter().map(|e| e.snap.clone()).collect()
    }

    /// The snapshot of one call, if tracked.
    pub fn snapshot(&self, call_id: &str) -> Option<CallSnapshot> {
        let i = self.find(call_id)?;
        self.calls.get(i).map(|e| e.snap.clone())
    }

    /// Whether a call id is tracked.
    pub fn contains(&self, call_id: &str) -> bool {
        self.find(call_id).is_some()
    }

    /// The ids of every tracked call, first seen first.
    pub fn call_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.calls.iter().map(|e| e.snap.call_id.as_str())
    }

    /// The live (not ended, not forgotten) call that changed last, if any.
    pub fn latest_live_call(&self) -> Option<&CallSnapshot> {
        self.latest_live_call_where(|_| true)
    }

    /// The live call that changed last among those whose last accepted
    /// change (`updated_at`) is later than `since_ms`, if any.
    pub fn latest_live_call_after(&self, since_ms: f64) -> Option<&CallSnapshot> {
        self.latest_live_call_where(|snap| snap.updated_at > since_ms)
    }

    fn latest_live_call_where(
        &self,
        keep: impl Fn(&CallSnapshot) -> bool,
    ) -> Option<&CallSnapshot> {
        self.keys
            .iter()
            .zip(self.calls.iter())
            .filter(|(key, entry)| !key.ended && keep(&entry.snap))
            .max_by_key(|(key, _)| key.order)
            .map(|(_, entry)| &entry.snap)
    }

    /// How many calls are tracked.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// Whether no call is tracked.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// How many calls were evicted to respect the limits, since creation.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The ended-call limit in force.
    pub fn max_ended_calls(&self) -> usize {
        self.max_ended
    }
}

/// Applies an accepted change to the entry: state, fields, history.
fn advance(entry: &mut Entry, call: &Call, now_ms: f64) {
    let snap = &mut entry.snap;
    if call.state != CallState::Unknown && call.state != snap.state {
        snap.previous_state = Some(snap.state);
        snap.state = call.state;
    }
    if call.direction != Direction::Unknown {
        snap.direction = call.direction;
    }
    if let Some(to) = clean(call.to_address.as_deref()) {
        snap.to_address = Some(to);
    }
    if let Some(dialed) = clean(call.dialed_number.as_deref()) {
        snap.dialed_number = Some(dialed);
    }
    if let Some(cause) = clean(call.cause.as_deref()) {
        // The failure's cause (BUSY, BAD_DESTINATION) is what a caller needs;
        // a later wrap-up or drop must not replace it.
        if !entry.failed || snap.cause.is_none() || call.state == CallState::Failed {
            snap.cause = Some(cause);
        }
    }
    if call.state == CallState::Failed {
        entry.failed = true;
    }
    if call.state == CallState::WrapUp {
        entry.wrap_up_seen = true;
    }
    snap.updated_at = now_ms;
    if snap.history.len() >= MAX_HISTORY {
        snap.history.remove(0);
    }
    snap.history.push(history_entry(call, now_ms));
}

/// What `tracker.apply` answers in JS: `{change, call}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied<'a> {
    /// What the state change did.
    pub change: Change,
    /// The call's snapshot after it.
    pub call: &'a CallSnapshot,
}

/// Reads `new CallTracker(options)`'s `{ maxEndedCalls? }` (see
/// [`crate::options`]): the most ended calls kept.
pub fn max_ended_calls_option(value: Option<&crate::json::Value>) -> Result<usize, Error> {
    let Some(options) = Options::read(value, "the tracker options", &["maxEndedCalls"])? else {
        return Ok(DEFAULT_MAX_ENDED_CALLS);
    };
    match options.get("maxEndedCalls") {
        None => Ok(DEFAULT_MAX_ENDED_CALLS),
        Some(value) => value
            .whole_number("maxEndedCalls", 0, MAX_ENDED_CALLS_LIMIT as u64)
            .map(|max| usize::try_from(max).unwrap_or(MAX_ENDED_CALLS_LIMIT))
            .map_err(|message| Error::new(Code::InvalidInput, message).with_path("maxEndedCalls")),
    }
}
