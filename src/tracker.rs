//! Call tracking. (Interface fixed; implementation in progress.)

use crate::model::Call;

/// Default number of ended calls kept before the oldest are evicted.
pub const DEFAULT_MAX_ENDED_CALLS: usize = 50;

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
}

impl Change {
    /// The JS name (`"new"`, `"advanced"`, `"duplicate"`, `"stale"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Advanced => "advanced",
            Change::Duplicate => "duplicate",
            Change::Stale => "stale",
        }
    }
}

/// A tracked call's snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSnapshot {
    /// The call id.
    pub call_id: String,
}

impl CallSnapshot {
    /// Writes the JS shape of the snapshot.
    pub fn write_json(&self, out: &mut String) {
        let _ = out;
    }
}

/// Tracks calls by id.
#[derive(Debug, Default)]
pub struct CallTracker {}

impl CallTracker {
    /// A tracker keeping at most `max_ended_calls` ended calls.
    pub fn new(max_ended_calls: usize) -> Self {
        let _ = max_ended_calls;
        CallTracker {}
    }

    /// Applies one state change at time `now_ms` (ms since the epoch).
    pub fn apply(&mut self, call: &Call, now_ms: f64) -> (Change, CallSnapshot) {
        let _ = now_ms;
        (
            Change::New,
            CallSnapshot {
                call_id: call.call_id.clone(),
            },
        )
    }

    /// Snapshots of every tracked call, oldest first.
    pub fn calls(&self) -> Vec<CallSnapshot> {
        Vec::new()
    }

    /// Whether a call id is tracked.
    pub fn contains(&self, call_id: &str) -> bool {
        let _ = call_id;
        false
    }
}
/// Upper bound for maxEndedCalls.
pub const MAX_ENDED_CALLS_LIMIT: usize = 100_000;
