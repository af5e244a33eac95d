#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{validate, Plan, Preset};
use makecall::error::{Code, Error};
use makecall::gadget::{
    address_plan, agent_allowed, is_dialer_call, redact_number, same_destination, AgentPolicy,
    DialError, GadgetConfig, GadgetCore, Output, Placed,
};
use makecall::json::Value;
use makecall::model::{
    Agent, AgentState, Call, CallState, Direction, Envelope, Message, WorkspaceError,
};
use makecall::tracker::Change;

/// The outputs as the JSON text of their serialised shape.
fn write_outputs_json(outputs: &[Output], out: &mut String) {
    out.push_str(&serde_json::to_string(outputs).unwrap());
}

/// A dial error's `MakecallError` fields as JSON text.
fn write_dial_error_json(error: &DialError, out: &mut String) {
    out.push_str(&serde_json::to_string(error).unwrap());
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

const NUMBER: &str = "(608) 555-9000";
const DIGITS: &str = "6085559000";

fn obj(entries: &[(&str, Value<'static>)]) -> Value<'static> {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.to_string().into(), v.clone()))
            .collect(),
    )
}

fn num(text: &str) -> Value<'static> {
    Value::Number(text.to_string().into())
}

fn string(text: &str) -> Value<'static> {
    Value::String(text.to_string().into())
}

fn core_with(policy: AgentPolicy) -> GadgetCore {
    GadgetCore::new(GadgetConfig {
        policy,
        ..GadgetConfig::default()
    })
}

fn core() -> GadgetCore {
    core_with(AgentPolicy::Ready)
}

fn outbound(id: &str, state: CallState, to: &str) -> Call {
    let mut call = Call::new(id, state);
    call.direction = Direction::Outbound;
    call.to_address = Some(to.to_string());
    call
}

fn msg(call: Call) -> Result<Message, Error> {
    Ok(Message::CallStateChange {
        envelope: Envelope::default(),
        call,
    })
}

fn agent_msg(state: AgentState) -> Result<Message, Error> {
    Ok(Message::AgentState {
        envelope: Envelope::default(),
        agent: Agent::new(state),
    })
}

fn settled(outputs: &[Output]) -> Vec<(u32, Result<Placed, DialError>)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Settled { dial_id, outcome } => Some((*dial_id, outcome.clone())),
            _ => None,
        })
        .collect()
}

fn only_settled(outputs: &[Output]) -> (u32, Result<Placed, DialError>) {
    let all = settled(outputs);
    assert_eq!(all.len(), 1, "expected one settlement in {outputs:?}");
    all.into_iter().next().unwrap()
}

fn error_code(outputs: &[Output]) -> makecall::error::Code {
    only_settled(outputs).1.unwrap_err().code
}

// ---------------------------------------------------------------- config

#[test]
fn config_defaults() {
    for value in [None, Some(&Value::Null), Some(&obj(&[]))] {
        let config = GadgetConfig::from_value(value).unwrap();
        assert_eq!(config.policy, AgentPolicy::Ready);
        assert_eq!(config.dial_timeout_ms, 15_000);
        assert_eq!(config.form.source, None);
        assert_eq!(config.form.channel, "Finesse");
        assert_eq!(config.max_ended_calls, 50);
    }
}

#[test]
fn config_reads_every_option_and_ignores_others() {
    let value = obj(&[
        ("transport", obj(&[])),
        ("agentStatePolicy", string("notReady")),
        ("dialTimeoutMs", num("30000")),
        ("source", string("my-crm")),
        ("channel", string("Cisco")),
        ("maxEndedCalls", num("5")),
    ]);
    let config = GadgetConfig::from_value(Some(&value)).unwrap();
    assert_eq!(config.policy, AgentPolicy::NotReady);
    assert_eq!(config.dial_timeout_ms, 30_000);
    assert_eq!(config.form.source.as_deref(), Some("my-crm"));
    assert_eq!(config.form.channel, "Cisco");
    assert_eq!(config.max_ended_calls, 5);
    for (text, policy) in [
        ("any", AgentPolicy::Any),
        ("READY", AgentPolicy::Ready),
        ("not_ready", AgentPolicy::NotReady),
    ] {
        let value = obj(&[("agentStatePolicy", string(text))]);
        assert_eq!(
            GadgetConfig::from_value(Some(&value)).unwrap().policy,
            policy
        );
    }
}

#[test]
fn config_rejects_bad_values_with_their_path() {
    let cases = [
        ("agentStatePolicy", string("sometimes")),
        ("agentStatePolicy", num("1")),
        ("dialTimeoutMs", num("0")),
        ("dialTimeoutMs", num("600001")),
        ("dialTimeoutMs", num("1.5")),
        ("dialTimeoutMs", num("-5")),
        ("dialTimeoutMs", string("15000")),
        ("source", num("3")),
        ("channel", string("  ")),
        ("maxEndedCalls", num("-1")),
        ("maxEndedCalls", Value::Bool(true)),
    ];
    for (key, value) in cases {
        let err = GadgetConfig::from_value(Some(&obj(&[(key, value.clone())]))).unwrap_err();
        assert_eq!(err.code, Code::InvalidInput, "{key} = {value:?}");
        assert_eq!(err.path.as_deref(), Some(key), "{key} = {value:?}");
    }
    let err = GadgetConfig::from_value(Some(&string("ready"))).unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
    // The upper bound itself is accepted.
    let max = obj(&[("dialTimeoutMs", num("600000"))]);
    assert_eq!(
        GadgetConfig::from_value(Some(&max))
            .unwrap()
            .dial_timeout_ms,
        600_000
    );
}

// ---------------------------------------------------------------- dial start

#[test]
fn start_dial_builds_the_make_call_message() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(started.dial_id, 1);
    assert_eq!(started.dial, DIGITS);
    assert_eq!(started.timeout_ms, 15_000);
    assert_eq!(
        json(&started.message),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}"#
    );
    assert_eq!(core.pending_dial(), Some(1));

    let config = GadgetConfig::from_value(Some(&obj(&[("source", string("my-crm"))]))).unwrap();
    let mut core = GadgetCore::new(config);
    let started = core.start_dial(DIGITS, 0.0).unwrap();
    assert_eq!(
        json(&started.message),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000","source":"my-crm"}"#
    );
}

#[test]
fn dial_ids_increment() {
    let mut core = core_with(AgentPolicy::Any);
    let first = core.start_dial(DIGITS, 0.0).unwrap().dial_id;
    core.abort(first);
    let second = core.start_dial(DIGITS, 0.0).unwrap().dial_id;
    assert_eq!(second, first + 1);
}

#[test]
fn invalid_numbers_are_rejected_with_the_reason() {
    let mut core = core();
    let err = core.start_dial("", 0.0).unwrap_err();
    assert_eq!(err.code, Code::InvalidNumber);
    assert_eq!(err.reason, Some(Code::Empty));
    let err = core.start_dial("12", 0.0).unwrap_err();
    assert_eq!(err.code, Code::InvalidNumber);
    assert_eq!(err.reason, Some(Code::TooShort));
    assert!(!err.message.is_empty());
    assert_eq!(core.pending_dial(), None);
}

#[test]
fn one_dial_at_a_time() {
    let mut core = core();
    let first = core.start_dial(NUMBER, 0.0).unwrap();
    let err = core.start_dial("6085551234", 1.0).unwrap_err();
    assert_eq!(err.code, Code::DialInProgress);
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::DialInProgress);
    // The pending dial is unaffected and still settles.
    let out = core.handle(msg(outbound("100", CallState::Initiating, DIGITS)), 2.0);
    let (id, outcome) = only_settled(&out);
    assert_eq!(id, first.dial_id);
    assert_eq!(outcome.unwrap().call_id, "100");
    // Its call is live now: one call at a time.
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::CallInProgress);
    core.handle(msg(outbound("100", CallState::Dropped, DIGITS)), 3.0);
    assert!(core.can_dial(0.0).is_ok());
}

/// A core for sites that allow consult calls (a dial during a live call).
fn consult_core() -> GadgetCore {
    GadgetCore::new(GadgetConfig {
        allow_dial_during_call: true,
        ..GadgetConfig::default()
    })
}

#[test]
fn no_dial_while_the_agent_has_a_live_call() {
    let mut core = core();
    let dial_id = core.start_dial(NUMBER, 0.0).unwrap().dial_id;
    for (at, state) in [
        CallState::Initiating,
        CallState::Initiated,
        CallState::Alerting,
        CallState::Active,
        CallState::Held,
    ]
    .into_iter()
    .enumerate()
    {
        let out = core.handle(msg(outbound("700", state, DIGITS)), at as f64);
        if at == 0 {
            assert_eq!(only_settled(&out).0, dial_id);
        }
        let refused = core.can_dial(0.0).unwrap_err();
        assert_eq!(refused.code, Code::CallInProgress, "{state:?}");
        assert_eq!(refused.call_id.as_deref(), Some("700"));
        let err = core.start_dial("6085551234", 9.0).unwrap_err();
        assert_eq!(err.code, Code::CallInProgress, "{state:?}");
        assert_eq!(core.pending_dial(), None, "nothing was started");
    }
    // A call the workspace reports (inbound, a dialer's) counts as well.
    let mut inbound = Call::new("701", CallState::Alerting);
    inbound.direction = Direction::Inbound;
    core.handle(msg(outbound("700", CallState::Dropped, DIGITS)), 10.0);
    assert!(
        core.can_dial(0.0).is_ok(),
        "ended: the agent may dial again"
    );
    core.handle(msg(inbound), 11.0);
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::CallInProgress);
    let mut ended = Call::new("701", CallState::WrapUp);
    ended.direction = Direction::Inbound;
    core.handle(msg(ended), 12.0);
    assert!(core.can_dial(0.0).is_ok(), "wrap-up ends the call");

    // Configurable for sites that allow consult calls.
    let mut consult = consult_core();
    consult.handle(msg(outbound("702", CallState::Active, DIGITS)), 0.0);
    assert!(consult.can_dial(0.0).is_ok());
    assert!(consult.start_dial("6085551234", 1.0).is_ok());
}

#[test]
fn allow_dial_during_call_is_a_boolean_option() {
    let config =
        GadgetConfig::from_value(Some(&obj(&[("allowDialDuringCall", Value::Bool(true))])))
            .unwrap();
    assert!(config.allow_dial_during_call);
    assert!(
        !GadgetConfig::from_value(None)
            .unwrap()
            .allow_dial_during_call
    );
    let err = GadgetConfig::from_value(Some(&obj(&[("allowDialDuringCall", string("yes"))])))
        .unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
    assert_eq!(err.path.as_deref(), Some("allowDialDuringCall"));
}

// ------------------------------------------- calls whose end never arrives

/// A core whose dial of `NUMBER` produced call 700, reported `active` at
/// t=3, and whose end (DROPPED, wrap-up) never reaches the gadget.
fn core_with_a_stuck_call() -> GadgetCore {
    let mut core = core();
    core.start_dial(NUMBER, 0.0).unwrap();
    let out = core.handle(msg(outbound("700", CallState::Initiating, DIGITS)), 1.0);
    assert_eq!(only_settled(&out).1.unwrap().call_id, "700");
    core.handle(msg(outbound("700", CallState::Alerting, DIGITS)), 2.0);
    core.handle(msg(outbound("700", CallState::Active, DIGITS)), 3.0);
    core
}

#[test]
fn a_call_whose_end_never_arrives_blocks_until_forgotten_then_the_next_dial_goes_through() {
    let mut core = core_with_a_stuck_call();
    // Hours later, still blocked: nothing in the gadget ends the call.
    let refused = core.can_dial(3.0 + 8.0 * 3_600_000.0).unwrap_err();
    assert_eq!(refused.code, Code::CallInProgress);
    assert_eq!(refused.call_id.as_deref(), Some("700"));
    assert!(
        refused.message.contains("forgetCall(callId)"),
        "{}",
        refused.message
    );
    assert!(
        json(&makecall::gadget::CanDial(&Err(refused))).contains(r#""callId":"700""#),
        "canDial() carries the id to forget"
    );
    assert_eq!(
        core.start_dial("6085551234", 10.0).unwrap_err().code,
        Code::CallInProgress
    );

    // The remedy: forget the call with the id the error carries.
    let forgotten = core
        .forget_call("700", 20.0)
        .expect("a live call was forgotten");
    assert_eq!(forgotten.call_id, "700");
    assert_eq!(forgotten.state, CallState::Active, "no state is made up");
    assert_eq!(forgotten.forgotten_at, Some(20.0));
    assert_eq!(forgotten.updated_at, 3.0, "the workspace's last change");
    assert_eq!(forgotten.history.len(), 3, "no history entry is made up");
    assert!(!forgotten.is_ended() && !forgotten.is_live());
    assert_eq!(core.calls(), vec![forgotten.clone()]);
    assert!(json(&core.calls()).contains(r#""state":"active""#));
    assert!(json(&core.calls()).contains(r#""forgottenAt":20.0"#));
    assert!(core.can_dial(21.0).is_ok());

    // The next dial goes through; the forgotten call's late DROPPED is
    // recorded and does not settle it (its id was known before the dial).
    let started = core.start_dial("6085551234", 21.0).unwrap();
    let out = core.handle(msg(outbound("700", CallState::Dropped, DIGITS)), 22.0);
    assert!(settled(&out).is_empty(), "{out:?}");
    match out.as_slice() {
        [Output::Call { change, call, .. }] => {
            assert_eq!(*change, Change::Advanced);
            assert_eq!(call.state, CallState::Dropped);
            assert_eq!(
                call.forgotten_at,
                Some(20.0),
                "it shows it had been forgotten before its end arrived"
            );
        }
        other => panic!("{other:?}"),
    }
    let out = core.handle(
        msg(outbound("701", CallState::Initiating, "6085551234")),
        23.0,
    );
    let (id, placed) = only_settled(&out);
    assert_eq!(id, started.dial_id);
    assert_eq!(placed.unwrap().call_id, "701");
    // Ended for real now: nothing to forget.
    assert_eq!(core.forget_call("700", 24.0), None);
}

#[test]
fn forget_call_answers_none_and_changes_nothing_without_a_live_call_of_that_id() {
    let mut core = core_with_a_stuck_call();
    core.handle(msg(outbound("701", CallState::Dropped, DIGITS)), 4.0);
    let before = core.calls();
    let long = "7".repeat(makecall::message::MAX_CALL_ID_BYTES + 1);
    for id in ["", "70", "7000", " 700", "701", long.as_str()] {
        assert_eq!(core.forget_call(id, 5.0), None, "{id:?}");
    }
    assert_eq!(core.calls(), before);
    assert_eq!(core.can_dial(6.0).unwrap_err().code, Code::CallInProgress);
    // Forgotten once; the second time there is no live call of that id.
    assert!(core.forget_call("700", 7.0).is_some());
    let after = core.calls();
    assert_eq!(core.forget_call("700", 8.0), None);
    assert_eq!(core.calls(), after, "forgotten at 7, not 8");
    // A closed gadget tracks nothing.
    let mut closed = core_with_a_stuck_call();
    closed.close();
    assert_eq!(closed.forget_call("700", 9.0), None);
}

#[test]
fn a_forgotten_call_the_workspace_reports_moving_on_while_up_blocks_again() {
    let mut core = core_with_a_stuck_call();
    core.handle(msg(outbound("700", CallState::Held, DIGITS)), 4.0);
    assert!(core.forget_call("700", 5.0).is_some());
    // A repeat, a late (stale) state and an unknown one change nothing.
    let mut strange = outbound("700", CallState::Unknown, DIGITS);
    strange.raw_state = "PARKED".into();
    for (at, (call, expected)) in [
        (outbound("700", CallState::Held, DIGITS), Change::Duplicate),
        (outbound("700", CallState::Alerting, DIGITS), Change::Stale),
        (strange, Change::Unknown),
    ]
    .into_iter()
    .enumerate()
    {
        let out = core.handle(msg(call), 6.0 + at as f64);
        match out.as_slice() {
            [Output::Call { change, call, .. }] => {
                assert_eq!(*change, expected);
                assert_eq!(call.forgotten_at, Some(5.0), "{expected:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(core.can_dial(10.0).is_ok(), "{expected:?}");
    }
    // The call is retrieved: the workspace says it is up, so it is live again.
    let out = core.handle(msg(outbound("700", CallState::Active, DIGITS)), 11.0);
    match out.as_slice() {
        [Output::Call { change, call, .. }] => {
            assert_eq!(*change, Change::Advanced);
            assert_eq!(call.forgotten_at, None);
            assert!(call.is_live());
        }
        other => panic!("{other:?}"),
    }
    let refused = core.can_dial(12.0).unwrap_err();
    assert_eq!(refused.code, Code::CallInProgress);
    assert_eq!(refused.call_id.as_deref(), Some("700"));
    // Its end, when it comes, ends it as for any call.
    core.handle(msg(outbound("700", CallState::Dropped, DIGITS)), 13.0);
    assert!(core.can_dial(14.0).is_ok());
}

#[test]
fn forgetting_a_call_leaves_a_pending_dial_and_the_other_live_calls_alone() {
    let mut core = core();
    let mut inbound = Call::new("800", CallState::Alerting);
    inbound.direction = Direction::Inbound;
    let mut other = Call::new("801", CallState::Active);
    other.direction = Direction::Inbound;
    core.handle(msg(other), 0.5);
    core.forget_call("801", 0.6).unwrap();
    let started = core.start_dial(NUMBER, 1.0).unwrap();
    core.handle(msg(inbound.clone()), 2.0);
    core.handle(msg(outbound("802", CallState::Active, "6085551234")), 2.5);
    assert!(core.forget_call("800", 3.0).is_some());
    assert_eq!(core.pending_dial(), Some(started.dial_id));
    // 802 (another number) is still live and blocks.
    assert_eq!(
        core.can_dial(3.0).unwrap_err().code,
        Code::DialInProgress,
        "the pending dial first"
    );
    let out = core.handle(msg(outbound("803", CallState::Initiating, DIGITS)), 4.0);
    assert_eq!(only_settled(&out).1.unwrap().call_id, "803");
    let refused = core.can_dial(5.0).unwrap_err();
    assert_eq!(refused.call_id.as_deref(), Some("803"));
    core.handle(msg(outbound("803", CallState::Dropped, DIGITS)), 6.0);
    assert_eq!(
        core.can_dial(7.0).unwrap_err().call_id.as_deref(),
        Some("802")
    );
    assert!(core.forget_call("802", 8.0).is_some());
    assert!(core.can_dial(9.0).is_ok());
}

#[test]
fn live_call_limit_releases_a_quiet_live_call_for_dials_only() {
    let mut core = GadgetCore::new(GadgetConfig {
        live_call_limit_ms: Some(1000),
        ..GadgetConfig::default()
    });
    core.handle(msg(outbound("700", CallState::Active, DIGITS)), 100.0);
    assert_eq!(
        core.can_dial(1099.0).unwrap_err().code,
        Code::CallInProgress
    );
    assert_eq!(
        core.can_dial(f64::NAN).unwrap_err().code,
        Code::CallInProgress,
        "a NaN time releases nothing"
    );
    assert!(core.can_dial(1100.0).is_ok(), "1000 ms without a change");
    // The call itself is untouched: still live, not forgotten.
    let snapshot = core.tracker().snapshot("700").unwrap();
    assert!(snapshot.is_live());
    assert_eq!(snapshot.forgotten_at, None);
    // A change for it makes it count again, for another 1000 ms.
    core.handle(msg(outbound("700", CallState::Held, DIGITS)), 1150.0);
    assert_eq!(
        core.start_dial("6085551234", 2149.0).unwrap_err().code,
        Code::CallInProgress
    );
    // A duplicate is not a change.
    core.handle(msg(outbound("700", CallState::Held, DIGITS)), 2000.0);
    let started = core.start_dial("6085551234", 2150.0).unwrap();
    let out = core.handle(
        msg(outbound("701", CallState::Initiating, "6085551234")),
        2200.0,
    );
    assert_eq!(only_settled(&out).0, started.dial_id);
    // The newer call blocks; the quiet one still does not.
    assert_eq!(
        core.can_dial(2300.0).unwrap_err().call_id.as_deref(),
        Some("701")
    );
    // Off by default: a call blocks however long it is quiet.
    let mut plain = core_with_a_stuck_call();
    assert_eq!(plain.can_dial(1e15).unwrap_err().code, Code::CallInProgress);
    assert!(plain.forget_call("700", 1e15).is_some());
}

#[test]
fn live_call_limit_ms_is_off_by_default_and_bounded() {
    assert_eq!(
        GadgetConfig::from_value(None).unwrap().live_call_limit_ms,
        None
    );
    for (text, expected) in [("1", 1), ("600000", 600_000), ("86400000", 86_400_000)] {
        let config =
            GadgetConfig::from_value(Some(&obj(&[("liveCallLimitMs", num(text))]))).unwrap();
        assert_eq!(config.live_call_limit_ms, Some(expected));
    }
    let config = GadgetConfig::from_value(Some(&obj(&[("liveCallLimitMs", Value::Null)]))).unwrap();
    assert_eq!(config.live_call_limit_ms, None, "null is the default");
    for bad in [
        num("0"),
        num("86400001"),
        num("-1"),
        num("1.5"),
        num("1e300"),
        string("60000"),
        Value::Bool(true),
    ] {
        let err =
            GadgetConfig::from_value(Some(&obj(&[("liveCallLimitMs", bad.clone())]))).unwrap_err();
        assert_eq!(err.code, Code::InvalidInput, "{bad:?}");
        assert_eq!(err.path.as_deref(), Some("liveCallLimitMs"), "{bad:?}");
    }
}

#[test]
fn the_agents_own_extension_from_the_agent_event_is_refused() {
    let mut core = core_with(AgentPolicy::Any);
    let mut agent = Agent::new(AgentState::Ready);
    agent.extension = Some("5024".into());
    core.handle(
        Ok(Message::AgentState {
            envelope: Envelope::default(),
            agent,
        }),
        0.0,
    );
    assert_eq!(core.validate("5024").unwrap_err().code, Code::OwnExtension);
    let err = core.start_dial("50-24", 1.0).unwrap_err();
    assert_eq!(err.code, Code::InvalidNumber);
    assert_eq!(err.reason, Some(Code::OwnExtension));
    assert!(!err.message.contains("5024"), "{}", err.message);
    assert!(core.validate("5025").is_ok());
}

// ---------------------------------------------------------------- agent policy

#[test]
fn agent_policy_table() {
    use AgentState::*;
    let states = [Ready, NotReady, Talking, Work, Logout];
    for (policy, allowed) in [
        (AgentPolicy::Ready, &[Ready][..]),
        (AgentPolicy::NotReady, &[NotReady][..]),
        (AgentPolicy::Any, &states[..]),
    ] {
        for state in states {
            let result = agent_allowed(policy, Some(state));
            assert_eq!(
                result.is_ok(),
                allowed.contains(&state),
                "{policy:?} in {state:?}"
            );
            if let Err(message) = result {
                assert!(message.contains(state.as_str()), "{message}");
                assert!(message.contains(policy.as_str()), "{message}");
            }
        }
        assert!(agent_allowed(policy, None).is_ok());
        assert!(agent_allowed(policy, Some(Unknown)).is_ok());
    }
}

#[test]
fn agent_not_ready_refuses_the_dial() {
    let mut core = core();
    let out = core.handle(agent_msg(AgentState::NotReady), 0.0);
    assert!(matches!(&out[..], [Output::Agent(a)] if a.state == AgentState::NotReady));
    assert_eq!(core.agent().unwrap().state, AgentState::NotReady);
    let err = core.start_dial(NUMBER, 1.0).unwrap_err();
    assert_eq!(err.code, Code::AgentNotReady);
    assert!(err.message.contains("NOT_READY") && err.message.contains("\"ready\""));
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::AgentNotReady);
    assert_eq!(core.pending_dial(), None);
    // Once Ready, the dial goes.
    core.handle(agent_msg(AgentState::Ready), 2.0);
    assert!(core.start_dial(NUMBER, 3.0).is_ok());
}

#[test]
fn not_ready_policy_refuses_ready_and_unknown_agent_is_allowed() {
    let mut core = core_with(AgentPolicy::NotReady);
    assert!(core.can_dial(0.0).is_ok(), "no agent event yet: allowed");
    core.handle(agent_msg(AgentState::Ready), 0.0);
    assert_eq!(
        core.start_dial(NUMBER, 1.0).unwrap_err().code,
        Code::AgentNotReady
    );
    let mut core = core_with(AgentPolicy::Any);
    core.handle(agent_msg(AgentState::Talking), 0.0);
    assert!(core.start_dial(NUMBER, 1.0).is_ok());
}

// ---------------------------------------------------------------- outcomes

#[test]
fn placed_on_initiating() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let out = core.handle(
        msg(outbound("16930170", CallState::Initiating, DIGITS)),
        10.0,
    );
    assert_eq!(out.len(), 2);
    // The call output comes first, then the settlement.
    assert!(
        matches!(&out[0], Output::Call { change: Change::New, call, dialled: true } if call.call_id == "16930170")
    );
    let (id, outcome) = only_settled(&out);
    assert_eq!(id, started.dial_id);
    assert_eq!(
        outcome.unwrap(),
        Placed {
            call_id: "16930170".into(),
            state: CallState::Initiating,
            dial: DIGITS.into(),
        }
    );
    assert_eq!(core.pending_dial(), None);
}

#[test]
fn call_failed_with_cause() {
    for cause in ["BUSY", "BAD_DESTINATION"] {
        // The workspace reports the access code and trunk prefix the plan knows.
        let mut core = core_on(Plan {
            access_code: Some("9".into()),
            ..nanp()
        });
        core.start_dial(NUMBER, 0.0).unwrap();
        let mut call = outbound("55", CallState::Failed, "916085559000");
        call.cause = Some(cause.to_string());
        let out = core.handle(msg(call), 1.0);
        let err = only_settled(&out).1.unwrap_err();
        assert_eq!(err.code, Code::CallFailed);
        assert_eq!(err.state_cause.as_deref(), Some(cause));
        assert_eq!(err.call_id.as_deref(), Some("55"));
        assert!(err.message.contains(cause));
        assert!(!err.message.contains(DIGITS), "{}", err.message);
    }
}

#[test]
fn correlates_on_a_later_message_that_carries_the_number() {
    // The first event of a call may lack the addresses (BEGIN_CALL_EVENT).
    let mut core = core_on(Plan {
        access_code: Some("9".into()),
        ..Plan::default()
    });
    core.start_dial(NUMBER, 0.0).unwrap();
    let mut bare = Call::new("9", CallState::Initiating);
    bare.direction = Direction::Outbound;
    assert!(settled(&core.handle(msg(bare), 1.0)).is_empty());
    let mut with_number = Call::new("9", CallState::Initiated);
    with_number.dialed_number = Some("96085559000".into());
    let (_, outcome) = only_settled(&core.handle(msg(with_number), 2.0));
    let placed = outcome.unwrap();
    assert_eq!(placed.call_id, "9");
    assert_eq!(placed.state, CallState::Initiated);
}

#[test]
fn timeout_settles_with_a_redacted_message() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert!(core.timeout(started.dial_id + 1).is_empty(), "other id");
    let err = only_settled(&core.timeout(started.dial_id)).1.unwrap_err();
    assert_eq!(err.code, Code::Timeout);
    assert_eq!(err.message, "no call for ••••••9000 within 15000 ms");
    // Already settled: a second timeout does nothing, and the late call doesn't settle.
    assert!(core.timeout(started.dial_id).is_empty());
    let out = core.handle(msg(outbound("1", CallState::Initiating, DIGITS)), 1.0);
    assert_eq!(out.len(), 1);
    assert!(settled(&out).is_empty());
}

#[test]
fn abort_and_close() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(error_code(&core.abort(started.dial_id)), Code::Aborted);
    assert!(core.abort(started.dial_id).is_empty());

    let started = core.start_dial(NUMBER, 1.0).unwrap();
    assert_eq!(error_code(&core.close()), Code::Closed);
    assert!(core.is_closed());
    assert!(core.close().is_empty());
    assert!(core.timeout(started.dial_id).is_empty());
    assert_eq!(core.start_dial(NUMBER, 2.0).unwrap_err().code, Code::Closed);
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::Closed);
    assert!(core
        .handle(msg(outbound("1", CallState::Initiating, DIGITS)), 3.0)
        .is_empty());
    assert!(core
        .handle(Err(Error::new(Code::InvalidJson, "x")), 3.0)
        .is_empty());
    assert!(core.calls().is_empty());
}

// ---------------------------------------------------------------- correlation

#[test]
fn unrelated_dialer_call_arriving_first_does_not_settle() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let mut dialer = outbound("200", CallState::Alerting, "907981406214");
    dialer.call_type = Some("OUTBOUND_PREVIEW".into());
    let out = core.handle(msg(dialer), 1.0);
    assert_eq!(out.len(), 1);
    assert!(matches!(&out[0], Output::Call { .. }));
    assert_eq!(core.pending_dial(), Some(started.dial_id));
    let (_, outcome) =
        only_settled(&core.handle(msg(outbound("201", CallState::Initiating, DIGITS)), 2.0));
    assert_eq!(outcome.unwrap().call_id, "201");
    assert_eq!(core.calls().len(), 2);
}

/// Whether each output of `outputs` is a call output flagged as the dial's.
fn dialled_flags(outputs: &[Output]) -> Vec<bool> {
    outputs
        .iter()
        .filter_map(|output| match output {
            Output::Call { dialled, .. } => Some(*dialled),
            _ => None,
        })
        .collect()
}

#[test]
fn the_dialled_call_is_flagged_from_its_settling_report_until_the_next_dial() {
    let mut core = consult_core();
    // A call before any dial is nobody's dial.
    assert_eq!(
        dialled_flags(&core.handle(msg(outbound("600", CallState::Active, "907981406214")), 0.0)),
        [false]
    );
    core.start_dial(NUMBER, 1.0).unwrap();
    // An unrelated dialer call while the dial is pending: not flagged.
    assert_eq!(
        dialled_flags(&core.handle(
            msg(outbound("601", CallState::Alerting, "907981406214")),
            2.0
        )),
        [false]
    );
    // The dial's call: flagged on the report that settles the dial, and on every later one.
    assert_eq!(
        dialled_flags(&core.handle(msg(outbound("602", CallState::Initiating, DIGITS)), 3.0)),
        [true]
    );
    for (i, state) in [CallState::Alerting, CallState::Initiated, CallState::Active]
        .into_iter()
        .enumerate()
    {
        let out = core.handle(msg(outbound("602", state, DIGITS)), 4.0 + i as f64);
        assert_eq!(dialled_flags(&out), [true], "{state:?}");
    }
    assert_eq!(
        dialled_flags(&core.handle(
            msg(outbound("601", CallState::Dropped, "907981406214")),
            8.0
        )),
        [false]
    );
    // A refused dial changes nothing; a dial that starts clears the flag.
    assert!(core.start_dial("12", 9.0).is_err());
    assert_eq!(
        dialled_flags(&core.handle(msg(outbound("602", CallState::Dropped, DIGITS)), 10.0)),
        [true]
    );
    core.start_dial(NUMBER, 11.0).unwrap();
    assert_eq!(
        dialled_flags(&core.handle(msg(outbound("602", CallState::WrapUp, DIGITS)), 12.0)),
        [false]
    );
    // A dial that times out has no call: a late report of it is not flagged.
    let started = core.pending_dial().unwrap();
    core.timeout(started);
    assert_eq!(
        dialled_flags(&core.handle(msg(outbound("603", CallState::Initiating, DIGITS)), 21.0)),
        [false]
    );
}

#[test]
fn inbound_call_from_the_same_number_does_not_settle() {
    let mut core = core();
    core.start_dial(NUMBER, 0.0).unwrap();
    let mut inbound = Call::new("300", CallState::Alerting);
    inbound.direction = Direction::Inbound;
    inbound.from_address = Some(DIGITS.into());
    inbound.to_address = Some(DIGITS.into());
    assert!(settled(&core.handle(msg(inbound), 1.0)).is_empty());
    // Even a later message of that call without a direction.
    let mut later = Call::new("300", CallState::Active);
    later.to_address = Some(DIGITS.into());
    assert!(settled(&core.handle(msg(later), 2.0)).is_empty());
    assert!(core.pending_dial().is_some());
}

#[test]
fn a_call_seen_before_the_dial_does_not_settle() {
    let mut core = consult_core();
    core.handle(msg(outbound("400", CallState::Initiating, DIGITS)), 0.0);
    core.start_dial(NUMBER, 1.0).unwrap();
    for state in [CallState::Initiated, CallState::Alerting, CallState::Failed] {
        let out = core.handle(msg(outbound("400", state, DIGITS)), 2.0);
        assert!(settled(&out).is_empty(), "{state:?}");
    }
    assert!(core.pending_dial().is_some());
}

#[test]
fn events_after_settling_do_not_settle_again() {
    let mut core = core();
    core.start_dial(NUMBER, 0.0).unwrap();
    let (_, first) =
        only_settled(&core.handle(msg(outbound("500", CallState::Alerting, DIGITS)), 1.0));
    assert_eq!(first.unwrap().state, CallState::Alerting);
    let later = [
        (CallState::Alerting, Change::Duplicate),
        (CallState::Initiated, Change::Stale),
        (CallState::Initiating, Change::Stale),
        (CallState::Active, Change::Advanced),
        (CallState::Failed, Change::Advanced),
    ];
    for (state, expected) in later {
        let out = core.handle(msg(outbound("500", state, DIGITS)), 2.0);
        assert!(settled(&out).is_empty());
        // Listeners still see every change, duplicates and stale ones included.
        assert!(matches!(&out[..], [Output::Call { change, .. }] if *change == expected));
    }
}

#[test]
fn settle_once_under_every_interleaving() {
    #[derive(Clone, Copy, Debug)]
    enum Ev {
        Timeout,
        Abort,
        Close,
        Placed,
        Failed,
    }
    fn permutations(items: &[Ev]) -> Vec<Vec<Ev>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut all = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first);
                all.push(tail);
            }
        }
        all
    }
    let events = [Ev::Timeout, Ev::Abort, Ev::Close, Ev::Placed, Ev::Failed];
    let orders = permutations(&events);
    assert_eq!(orders.len(), 120);
    for order in orders {
        let mut core = core();
        let id = core.start_dial(NUMBER, 0.0).unwrap().dial_id;
        let mut all = Vec::new();
        for ev in &order {
            let out = match ev {
                Ev::Timeout => core.timeout(id),
                Ev::Abort => core.abort(id),
                Ev::Close => core.close(),
                Ev::Placed => core.handle(msg(outbound("1", CallState::Initiating, DIGITS)), 1.0),
                Ev::Failed => {
                    let mut call = outbound("1", CallState::Failed, DIGITS);
                    call.cause = Some("BUSY".into());
                    core.handle(msg(call), 2.0)
                }
            };
            all.extend(settled(&out));
        }
        assert_eq!(all.len(), 1, "{order:?}: {all:?}");
        let (dial_id, outcome) = all.remove(0);
        assert_eq!(dial_id, id);
        // The first event decides the outcome.
        let expected = match order[0] {
            Ev::Timeout => Err(Code::Timeout),
            Ev::Abort => Err(Code::Aborted),
            Ev::Close => Err(Code::Closed),
            Ev::Placed => Ok(CallState::Initiating),
            Ev::Failed => Err(Code::CallFailed),
        };
        assert_eq!(
            outcome.map(|p| p.state).map_err(|e| e.code),
            expected,
            "{order:?}"
        );
    }
}

#[test]
fn a_stale_dial_id_does_not_touch_the_next_dial() {
    let mut core = core();
    let first = core.start_dial(NUMBER, 0.0).unwrap().dial_id;
    core.abort(first);
    let second = core.start_dial(NUMBER, 1.0).unwrap().dial_id;
    assert!(core.timeout(first).is_empty());
    assert!(core.abort(first).is_empty());
    assert_eq!(core.pending_dial(), Some(second));
}

// ---------------------------------------------------------------- inbound input

#[test]
fn parse_errors_go_to_error_listeners_and_other_messages_are_ignored() {
    let mut core = core();
    let error = Error::new(Code::InvalidJson, "bad").at(3);
    assert_eq!(
        core.handle(Err(error.clone()), 0.0),
        vec![Output::Error(error)]
    );
    let other = Message::Other {
        envelope: Envelope::default(),
    };
    assert!(core.handle(Ok(other), 0.0).is_empty());
}

// ---------------------------------------------------------------- numbers

/// A gadget core with `plan` (any agent state allowed).
fn core_on(plan: Plan) -> GadgetCore {
    GadgetCore::new(GadgetConfig {
        plan,
        policy: AgentPolicy::Any,
        ..GadgetConfig::default()
    })
}

fn nanp() -> Plan {
    Plan::preset(Preset::Nanp)
}

/// Whether `address` reaches what `input` dials under `plan`.
fn reaches(input: &str, address: &str, plan: &Plan) -> bool {
    let dialled = makecall::gadget::Destination::of(&validate(input, plan).unwrap());
    same_destination(&dialled, address, &address_plan(plan))
}

#[test]
fn same_destination_under_the_plans_own_normalisation() {
    let nanp = nanp();
    for address in [
        "6085559000",
        "16085559000",
        "+16085559000",
        "(608) 555-9000",
        "+1 608 555 9000",
    ] {
        assert!(reaches("6085559000", address, &nanp), "nanp: {address}");
    }
    let nanp9 = Plan {
        access_code: Some("9".into()),
        ..nanp.clone()
    };
    for address in ["96085559000", "916085559000", "6085559000", "+16085559000"] {
        assert!(
            reaches("6085559000", address, &nanp9),
            "nanp + access 9: {address}"
        );
    }
    let india9 = Plan {
        access_code: Some("9".into()),
        ..Plan::preset(Preset::In)
    };
    for address in [
        "908688553209",
        "08688553209",
        "8688553209",
        "+918688553209",
        "00918688553209",
    ] {
        assert!(
            reaches("908688553209", address, &india9),
            "in + access 9: {address}"
        );
    }
    // Without a country only the same digits (access code as the plan writes it) match.
    let any9 = Plan {
        access_code: Some("9".into()),
        ..Plan::default()
    };
    assert!(reaches("6085559000", "96085559000", &any9));
    assert!(reaches("6085559000", "6085559000", &any9));
    assert!(reaches("5024", "5024", &Plan::default()));
    assert!(reaches("*675024", "*675024", &Plan::default()));
}

#[test]
fn near_misses_never_reach_the_dialled_number() {
    let any = Plan::default();
    let nanp = nanp();
    // A shared 7-digit tail across different lengths is not enough.
    for plan in [&any, &nanp] {
        assert!(!reaches("6085559000", "5559000", plan));
        assert!(!reaches("6085559000", "123456085559000", plan));
        assert!(!reaches("6085559000", "6085559001", plan));
        assert!(!reaches("6085559000", "7085559000", plan));
    }
    assert!(!reaches("5559000", "2125559000", &any));
    assert!(!reaches("5559000", "6085559000", &any));
    // Prefixes the plan does not know are not stripped.
    assert!(!reaches("6085559000", "16085559000", &any));
    assert!(!reaches("6085559000", "+16085559000", &any));
    assert!(!reaches("6085559000", "96085559000", &nanp));
    // Another country's number with the same national digits.
    assert!(!reaches("6085559000", "+446085559000", &nanp));
    assert!(!reaches("5024", "15024", &any));
    assert!(!reaches("6085559000", "", &any));
    assert!(!reaches("6085559000", "abc", &any));
    assert!(!reaches("6085559000", &"6".repeat(10_000), &any));
}

#[test]
fn dialer_call_types_are_recognised() {
    let with = |call_type: Option<&str>, outbound_type: Option<&str>| {
        let mut call = Call::new("1", CallState::Initiating);
        call.call_type = call_type.map(str::to_string);
        call.outbound_type = outbound_type.map(str::to_string);
        is_dialer_call(&call)
    };
    for dialer in [
        "Outbound",
        "Outbound Preview",
        "Outbound Direct Preview",
        "OUTBOUND_PREVIEW",
        "OUTBOUND_DIRECT_PREVIEW",
        "OUTBOUND_CALLBACK",
        "outbound-preview",
    ] {
        assert!(with(Some(dialer), None), "{dialer}");
    }
    for mode in [
        "preview",
        "Progressive",
        "PREDICTIVE",
        "direct preview",
        "callback",
    ] {
        assert!(with(Some("OB_OUT"), Some(mode)), "{mode}");
    }
    for agent in ["OB_OUT", "Ob_out", "OUT", "AGENT_OUTSIDE", "AGENT_INSIDE"] {
        assert!(!with(Some(agent), Some("manualdial")), "{agent}");
    }
    assert!(!with(None, None));
}

/// Each near miss of issue 15, through the core: the dial stays pending, and
/// the real call then settles it.
#[test]
fn near_miss_calls_do_not_settle_the_dial() {
    let near_misses: Vec<(&str, Plan, &str, Call)> = vec![
        (
            "a dialer call to the same number",
            Plan::default(),
            DIGITS,
            {
                let mut call = outbound("10", CallState::Initiating, DIGITS);
                call.call_type = Some("Outbound Preview".into());
                call
            },
        ),
        (
            "a call to the dialled number's 7-digit tail",
            Plan::default(),
            DIGITS,
            outbound("11", CallState::Initiating, "5559000"),
        ),
        (
            "a longer number ending in the 7-digit dial",
            Plan::default(),
            "5559000",
            outbound("12", CallState::Initiating, "2125559000"),
        ),
        ("a call of unknown direction", Plan::default(), DIGITS, {
            let mut call = Call::new("13", CallState::Initiating);
            call.to_address = Some(DIGITS.into());
            call
        }),
        (
            "a call under nanp to a 7-digit tail",
            nanp(),
            DIGITS,
            outbound("14", CallState::Initiating, "5559000"),
        ),
        (
            "another country's number",
            nanp(),
            DIGITS,
            outbound("15", CallState::Initiating, "+446085559000"),
        ),
    ];
    for (what, plan, dial, near_miss) in near_misses {
        let mut core = core_on(plan);
        let started = core.start_dial(dial, 0.0).unwrap();
        let to = near_miss.to_address.clone();
        assert!(
            settled(&core.handle(msg(near_miss), 1.0)).is_empty(),
            "{what} settled the dial"
        );
        assert_eq!(core.pending_dial(), Some(started.dial_id), "{what}");
        let (_, outcome) = only_settled(&core.handle(
            msg(outbound("99", CallState::Initiating, &started.dial)),
            2.0,
        ));
        assert_eq!(outcome.unwrap().call_id, "99", "{what} (to {to:?})");
    }
}

#[test]
fn an_agent_dialled_call_in_another_spelling_of_the_number_settles() {
    let mut core = core_on(Plan {
        access_code: Some("9".into()),
        ..nanp()
    });
    let started = core.start_dial("(608) 555-9000", 0.0).unwrap();
    assert_eq!(started.dial, "96085559000");
    let mut call = outbound("20", CallState::Initiating, "+1 608 555 9000");
    call.call_type = Some("OB_OUT".into());
    call.outbound_type = Some("manualdial".into());
    let (_, outcome) = only_settled(&core.handle(msg(call), 1.0));
    assert_eq!(outcome.unwrap().call_id, "20");
}

#[test]
fn redaction() {
    assert_eq!(redact_number("(608) 555-9000"), "(•••) •••-9000");
    assert_eq!(redact_number("5024"), "5024");
    assert_eq!(redact_number("+918688553209"), "+••••••••3209");
    assert_eq!(redact_number("12"), "12");
    assert_eq!(redact_number(""), "");
    // Digits of every script count (tests/redaction.rs covers each class).
    assert_eq!(redact_number("ext. ١٢٣ 12345"), "ext. ••• •2345");
}

// ---------------------------------------------------------------- JSON

#[test]
fn outputs_json() {
    let mut core = core();
    core.start_dial(NUMBER, 0.0).unwrap();
    let mut outputs = core.handle(msg(outbound("7", CallState::Initiating, DIGITS)), 5.0);
    outputs.extend(core.handle(agent_msg(AgentState::Talking), 6.0));
    outputs.push(Output::Error(
        Error::new(Code::InvalidJson, "bad").at(4).with_path("a.b"),
    ));
    outputs.push(Output::Settled {
        dial_id: 2,
        outcome: Err(DialError {
            code: Code::CallFailed,
            message: "failed".into(),
            reason: None,
            state_cause: Some("BUSY".into()),
            call_id: Some("8".into()),
            workspace: None,
        }),
    });
    let mut out = String::new();
    write_outputs_json(&outputs, &mut out);
    let expected = concat!(
        r#"[{"type":"call","change":"new","dialled":true,"call":{"callId":"7","state":"initiating","direction":"outbound","toAddress":"6085559000","startedAt":5.0,"updatedAt":5.0,"history":[{"state":"initiating","at":5.0}]}},"#,
        r#"{"type":"settled","dialId":1,"ok":true,"result":{"callId":"7","state":"initiating","dial":"6085559000"}},"#,
        r#"{"type":"agent","agent":{"state":"TALKING","rawState":"TALKING"}},"#,
        r#"{"type":"error","error":{"code":"INVALID_JSON","message":"bad","index":4,"path":"a.b"}},"#,
        r#"{"type":"settled","dialId":2,"ok":false,"error":{"code":"CALL_FAILED","message":"failed","stateCause":"BUSY","callId":"8"}}]"#,
    );
    assert_eq!(out, expected);

    let mut out = String::new();
    write_outputs_json(&[], &mut out);
    assert_eq!(out, "[]");

    let mut out = String::new();
    write_dial_error_json(
        &DialError {
            code: Code::InvalidNumber,
            message: "too short".into(),
            reason: Some(Code::TooShort),
            state_cause: None,
            call_id: None,
            workspace: None,
        },
        &mut out,
    );
    assert_eq!(
        out,
        r#"{"code":"INVALID_NUMBER","message":"too short","reason":"TOO_SHORT"}"#
    );
}

#[test]
fn max_ended_calls_reaches_the_tracker() {
    let config = GadgetConfig::from_value(Some(&obj(&[("maxEndedCalls", num("2"))]))).unwrap();
    let mut core = GadgetCore::new(config);
    for i in 0..5 {
        core.handle(msg(Call::new(i.to_string(), CallState::Dropped)), 0.0);
    }
    assert_eq!(core.calls().len(), 2);
    assert_eq!(core.tracker().evicted(), 3);
}

#[test]
fn close_forgets_the_tracked_calls() {
    let mut core = core();
    core.handle(msg(outbound("31", CallState::Active, "6085559000")), 1.0);
    assert_eq!(core.calls().len(), 1);
    core.close();
    assert!(core.calls().is_empty());
}

// ---------------------------------------------------------------- workspace errors

fn workspace_error_msg(channel: &str) -> Result<Message, Error> {
    Ok(Message::WorkspaceError {
        envelope: Envelope {
            channel: channel.to_string(),
            topic: "Error".to_string(),
            subtopic: "SetAPIError".to_string(),
            source: None,
        },
        error: WorkspaceError {
            error_type: Some("Invalid State".to_string()),
            error_message: Some("CF_INVALID_OBJECT_STATE".to_string()),
            detail: Some("22".to_string()),
            status: None,
        },
    })
}

#[test]
fn a_workspace_error_rejects_the_pending_dial_at_once() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    // One event, no timer: the dial is settled by the error itself.
    let outputs = core.handle(workspace_error_msg("Cisco"), 1.0);
    let (dial_id, outcome) = only_settled(&outputs);
    assert_eq!(dial_id, started.dial_id);
    let error = outcome.unwrap_err();
    assert_eq!(error.code, Code::WorkspaceError);
    let workspace = error.workspace.as_deref().unwrap();
    assert_eq!(workspace.error_type.as_deref(), Some("Invalid State"));
    assert_eq!(
        workspace.error_message.as_deref(),
        Some("CF_INVALID_OBJECT_STATE")
    );
    assert_eq!(workspace.detail.as_deref(), Some("22"));
    assert!(!error.message.contains("608555"), "{}", error.message);
    assert_eq!(core.pending_dial(), None);
    // Its timer firing later changes nothing.
    assert!(core.timeout(started.dial_id).is_empty());
    let mut out = String::new();
    write_dial_error_json(&error, &mut out);
    assert!(
        out.contains(r#""code":"WORKSPACE_ERROR""#)
            && out.contains(r#""errorType":"Invalid State","errorMessage":"CF_INVALID_OBJECT_STATE","detail":"22""#),
        "{out}"
    );
}

#[test]
fn a_workspace_error_without_a_pending_dial_goes_to_error_listeners() {
    let mut core = core();
    let outputs = core.handle(workspace_error_msg("Amazon"), 1.0);
    assert_eq!(outputs.len(), 1);
    assert!(matches!(&outputs[0], Output::WorkspaceError { channel, .. } if channel == "Amazon"));
    let mut out = String::new();
    write_outputs_json(&outputs, &mut out);
    assert!(
        out.starts_with(r#"[{"type":"error","error":{"code":"WORKSPACE_ERROR","#),
        "{out}"
    );
    assert!(
        out.contains(r#""channel":"Amazon","errorType":"Invalid State""#),
        "{out}"
    );
    // And a dial after it starts normally.
    assert!(core.start_dial(NUMBER, 2.0).is_ok());
}

#[test]
fn a_busy_cause_on_the_participant_reaches_call_failed() {
    let mut core = core();
    core.start_dial(NUMBER, 0.0).unwrap();
    // The cause is only on the participant, as Finesse sends it.
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"16931914","event":"FAILED","ResponseActual":{"id":"16931914","state":"FAILED","toAddress":"6085559000","participants":{"Participant":{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"FAILED","stateCause":"BUSY"}}}}}}"#;
    let parsed = makecall::message::parse_message_text(text);
    let outputs = core.handle(parsed, 1.0);
    let error = only_settled(&outputs).1.unwrap_err();
    assert_eq!(error.code, Code::CallFailed);
    assert_eq!(error.state_cause.as_deref(), Some("BUSY"));
}

// ---------------------------------------------------------------- envelopes and channels

fn core_from(options: Value<'static>) -> GadgetCore {
    GadgetCore::new(
        GadgetConfig::from_value_in_frame(Some(&options), Some("https://gadget.example.net/"))
            .unwrap(),
    )
}

#[test]
fn a_packet_gadget_refuses_dials_until_registration_gives_the_subscriber_id() {
    let mut core = core_from(obj(&[("envelope", string("packet"))]));
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::NotRegistered);
    assert_eq!(
        core.start_dial(NUMBER, 0.0).unwrap_err().code,
        Code::NotRegistered
    );
    assert_eq!(core.pending_dial(), None);
    assert!(core.set_subscriber_id(&string("")).is_err());
    assert!(core.set_subscriber_id(&Value::Bool(true)).is_err());
    core.set_subscriber_id(&num("66517761")).unwrap();
    assert!(core.can_dial(0.0).is_ok());
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(
        json(&started.message),
        r#"{"channel":"Finesse","topic":"","subTopic":"","message":{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000","source":"makecall"},"ResponseUrl":"https://gadget.example.net/","subscriberID":"66517761"}"#
    );
}

#[test]
fn the_cisco_channel_gadget_sends_set_make_call_and_may_ask_for_the_agent_state() {
    let mut core = core_from(obj(&[("channel", string("Cisco"))]));
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(
        json(&started.message),
        r#"{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"makecall","data":{"toAddress":"6085559000"}}"#
    );
    assert_eq!(
        json(&core.agent_state_request().unwrap().unwrap()),
        r#"{"channel":"Cisco","topic":"Agent","subtopic":"GetAgentState","source":"makecall"}"#
    );
    // The Finesse channel documents no agent-state request: nothing to send.
    assert!(core_from(obj(&[])).agent_state_request().is_none());
}

// ------------------------------------------- connection: never sent after settling

fn publishes(outputs: &[Output]) -> Vec<(u32, String)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Publish { dial_id, message } => Some((*dial_id, json(message))),
            _ => None,
        })
        .collect()
}

fn disconnected_core() -> GadgetCore {
    let mut core = core();
    let out = core.connection(false);
    assert_eq!(out, vec![Output::Connection { connected: false }]);
    core
}

#[test]
fn connected_by_default_so_the_glue_publishes_at_once() {
    let mut core = core();
    assert!(core.is_connected());
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert!(started.publish_now);
    // A later connection report has nothing left to hand out.
    assert!(publishes(&core.connection(true)).is_empty());
}

#[test]
fn a_dial_while_disconnected_is_held_and_published_on_connect() {
    let mut core = disconnected_core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    assert!(!started.publish_now);
    let out = core.connection(true);
    assert_eq!(out[0], Output::Connection { connected: true });
    assert_eq!(
        publishes(&out),
        vec![(started.dial_id, json(&started.message))]
    );
    // Handed out once: a second report (or a reconnect) does not repeat it.
    assert!(publishes(&core.connection(false)).is_empty());
    assert!(publishes(&core.connection(true)).is_empty());
    // Sent, so its deadline is an ordinary TIMEOUT.
    assert_eq!(error_code(&core.timeout(started.dial_id)), Code::Timeout);
}

#[test]
fn a_deadline_before_connecting_is_not_connected_and_withdraws_the_message() {
    let mut core = disconnected_core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let err = only_settled(&core.timeout(started.dial_id)).1.unwrap_err();
    assert_eq!(err.code, Code::NotConnected);
    assert!(err.message.contains("nothing was sent"), "{}", err.message);
    assert!(!err.message.contains(DIGITS), "{}", err.message);
    // The late connection publishes nothing.
    let out = core.connection(true);
    assert!(publishes(&out).is_empty(), "{out:?}");
}

#[test]
fn abort_and_close_before_connecting_withdraw_the_message() {
    let mut core = disconnected_core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let err = only_settled(&core.abort(started.dial_id)).1.unwrap_err();
    assert_eq!(err.code, Code::Aborted);
    assert!(err.message.ends_with("nothing was sent"), "{}", err.message);
    assert!(publishes(&core.connection(true)).is_empty());

    let mut core = disconnected_core();
    core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(error_code(&core.close()), Code::Closed);
    assert!(core.connection(true).is_empty());
}

#[test]
fn a_refused_subscription_settles_the_dial_and_blocks_dials_until_reconnected() {
    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let out = core.subscription_refused("topic makecall.events refused");
    assert!(matches!(&out[0], Output::Error(e) if e.code == Code::SubscribeRefused));
    let (id, outcome) = only_settled(&out);
    assert_eq!(id, started.dial_id);
    assert_eq!(outcome.unwrap_err().code, Code::SubscribeRefused);
    // Nothing can be heard, so nothing is sent.
    assert_eq!(core.can_dial(0.0).unwrap_err().code, Code::SubscribeRefused);
    let err = core.start_dial(NUMBER, 1.0).unwrap_err();
    assert_eq!(err.code, Code::SubscribeRefused);
    assert!(err.message.contains("makecall.events refused"));
    // A new connection subscribes again: dials are possible.
    core.connection(false);
    core.connection(true);
    assert!(core.can_dial(0.0).is_ok());
}

#[test]
fn a_refusal_while_held_says_nothing_was_sent() {
    let mut core = disconnected_core();
    core.start_dial(NUMBER, 0.0).unwrap();
    let err = only_settled(&core.subscription_refused("")).1.unwrap_err();
    assert_eq!(err.code, Code::SubscribeRefused);
    assert!(err.message.ends_with("nothing was sent"), "{}", err.message);
    assert!(publishes(&core.connection(true)).is_empty());
}

#[test]
fn no_make_call_is_handed_out_after_its_dial_settled_in_any_order() {
    // Every interleaving of connect/disconnect with each way a dial settles:
    // a Publish output only ever names the pending dial.
    #[derive(Clone, Copy, Debug)]
    enum Step {
        Dial,
        Up,
        Down,
        Timeout,
        Abort,
        Refuse,
        Placed,
    }
    let steps = [
        Step::Dial,
        Step::Up,
        Step::Down,
        Step::Timeout,
        Step::Abort,
        Step::Refuse,
        Step::Placed,
    ];
    let mut sequences: Vec<Vec<Step>> = vec![vec![]];
    for _ in 0..5 {
        sequences = sequences
            .into_iter()
            .flat_map(|seq| {
                steps.iter().map(move |s| {
                    let mut next = seq.clone();
                    next.push(*s);
                    next
                })
            })
            .collect();
    }
    let mut checked = 0;
    for seq in sequences {
        let mut core = disconnected_core();
        let mut settled_ids = Vec::new();
        let mut handed = Vec::new();
        let mut last = None;
        let mut call = 100;
        for step in &seq {
            let out = match step {
                Step::Dial => match core.start_dial(NUMBER, 0.0) {
                    Ok(started) => {
                        if started.publish_now {
                            assert!(core.is_connected());
                            handed.push(started.dial_id);
                        }
                        last = Some(started.dial_id);
                        Vec::new()
                    }
                    Err(_) => Vec::new(),
                },
                Step::Up => core.connection(true),
                Step::Down => core.connection(false),
                Step::Timeout => last.map(|id| core.timeout(id)).unwrap_or_default(),
                Step::Abort => last.map(|id| core.abort(id)).unwrap_or_default(),
                Step::Refuse => core.subscription_refused("no"),
                Step::Placed => {
                    call += 1;
                    core.handle(
                        msg(outbound(&call.to_string(), CallState::Initiating, DIGITS)),
                        1.0,
                    )
                }
            };
            for (id, _) in publishes(&out) {
                assert!(
                    !settled_ids.contains(&id),
                    "{seq:?}: {id} published after settling"
                );
                assert_eq!(core.pending_dial(), Some(id), "{seq:?}");
                handed.push(id);
            }
            for (id, outcome) in settled(&out) {
                // TIMEOUT only for a sent MakeCall, NOT_CONNECTED only for a held one.
                if let Err(error) = &outcome {
                    let sent = handed.contains(&id);
                    assert!(error.code != Code::Timeout || sent, "{seq:?}");
                    assert!(error.code != Code::NotConnected || !sent, "{seq:?}");
                }
                settled_ids.push(id);
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 7usize.pow(5));
}

#[test]
fn timeout_only_after_the_message_went_out() {
    // TIMEOUT means "sent, no answer": held until the deadline is NOT_CONNECTED,
    // published before it is TIMEOUT.
    let mut core = disconnected_core();
    let first = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(error_code(&core.timeout(first.dial_id)), Code::NotConnected);
    let second = core.start_dial(NUMBER, 0.0).unwrap();
    assert_eq!(publishes(&core.connection(true)).len(), 1);
    assert_eq!(error_code(&core.timeout(second.dial_id)), Code::Timeout);
}

#[test]
fn a_workspace_error_settles_only_a_sent_dial_with_its_status() {
    let refusal = || {
        Ok(Message::WorkspaceError {
            envelope: Envelope {
                channel: "Finesse".into(),
                ..Envelope::default()
            },
            error: WorkspaceError {
                error_type: Some("Invalid Destination".into()),
                error_message: Some("Invalid Destination".into()),
                detail: None,
                status: Some("400".into()),
            },
        })
    };
    // A held MakeCall was never sent: the error is not its answer.
    let mut held = disconnected_core();
    held.start_dial(NUMBER, 0.0).unwrap();
    let out = held.handle(refusal(), 0.0);
    assert!(settled(&out).is_empty(), "{out:?}");
    assert!(held.pending_dial().is_some());

    let mut core = core();
    let started = core.start_dial(NUMBER, 0.0).unwrap();
    let (id, outcome) = only_settled(&core.handle(refusal(), 1.0));
    assert_eq!(id, started.dial_id);
    let err = outcome.unwrap_err();
    assert_eq!(err.code, Code::WorkspaceError);
    assert!(
        err.message.contains("(Invalid Destination)"),
        "{}",
        err.message
    );
    assert!(err.message.ends_with("(HTTP 400)"), "{}", err.message);
    assert!(!err.message.contains(DIGITS));
    let mut out = String::new();
    write_dial_error_json(&err, &mut out);
    assert!(
        out.ends_with(r#""errorType":"Invalid Destination","errorMessage":"Invalid Destination","status":"400"}"#),
        "{out}"
    );
}

#[test]
fn publish_and_connection_outputs_as_json() {
    let mut out = String::new();
    write_outputs_json(
        &[
            Output::Connection { connected: true },
            Output::Publish {
                dial_id: 3,
                message: makecall::make_call::make_call_message("5024", "Finesse", None),
            },
        ],
        &mut out,
    );
    assert_eq!(
        out,
        r#"[{"type":"connection","connected":true},{"type":"publish","dialId":3,"message":{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"5024"}}]"#
    );
}
