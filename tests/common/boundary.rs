// Boundary tests shared by the Node and the browser runs: they call the
// exported functions with real JS values and check the values they return
// and the errors they throw (a stable code).

use makecall::{json, wasm};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

/// JSON text of a value, to compare shapes and key orders.
fn text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().into()
}

fn ok<T>(result: Result<T, JsValue>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {:?}", field(&error, "message")),
    }
}

/// The `code` of the error a call threw.
fn failure_code<T>(result: Result<T, JsValue>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(error) => {
            assert!(error.is_instance_of::<js_sys::Error>(), "not an Error");
            assert_eq!(field(&error, "name"), JsValue::from_str("MakecallError"));
            field(&error, "code").as_string().unwrap()
        }
    }
}

/// `validateNumber` as the glue runs it: compile the plan (which may
/// throw), then validate under it.
fn validate_number(input: JsValue, plan: JsValue) -> Result<JsValue, JsValue> {
    wasm::compile_plan(plan)?.validate(input)
}

const SEED_SAMPLE: &str = r#"{"channel":"Finesse","topic":"outbound","subtopic":"OutBoundCallStateChange","message":{"source":"event","call":{"ResponseActual":{"fromAddress":"5024","id":"16931876","mediaType":"Voice","participants":{"Participant":[{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"WRAP_UP"}]},"state":"ACTIVE","toAddress":"08234567899","mediaProperties":{"callType":"OUT","dialedNumber":"08234567899",}},"ResponseFields":{"CallState":"WRAP_UP","Type":"OB_OUT"},"id":"16931876","CallType":"OB_OUT","event":"WRAP_UP","CallVariables":{}}}}"#;

#[wasm_bindgen_test]
fn validate_number_returns_data_for_good_and_bad_numbers() {
    let good = ok(validate_number("(608) 555-9000".into(), JsValue::UNDEFINED));
    assert_eq!(field(&good, "ok"), JsValue::TRUE);
    assert_eq!(field(&good, "dial").as_string().unwrap(), "6085559000");
    assert_eq!(field(&good, "kind").as_string().unwrap(), "national");

    let bad = ok(validate_number("608-555-CALL".into(), JsValue::UNDEFINED));
    assert_eq!(field(&bad, "ok"), JsValue::FALSE);
    assert_eq!(
        field(&bad, "code").as_string().unwrap(),
        "INVALID_CHARACTER"
    );
    assert_eq!(field(&bad, "index").as_f64().unwrap(), 8.0);
}

#[wasm_bindgen_test]
fn plan_accepts_a_preset_name_or_an_object_and_rejects_garbage() {
    let nanp = ok(validate_number("(608) 555-9000".into(), "nanp".into()));
    assert_eq!(field(&nanp, "e164").as_string().unwrap(), "+16085559000");
    let access = ok(validate_number(
        "6085559000".into(),
        js(r#"{"preset":"nanp","accessCode":"9"}"#),
    ));
    assert_eq!(field(&access, "dial").as_string().unwrap(), "96085559000");
    assert_eq!(
        failure_code(validate_number("5024".into(), "mars".into())),
        "INVALID_PLAN"
    );
    assert_eq!(
        failure_code(validate_number("5024".into(), JsValue::from_f64(3.0))),
        "INVALID_PLAN"
    );
}

#[wasm_bindgen_test]
fn numbers_from_js_must_be_strings_or_safe_integers() {
    let from_int = ok(validate_number(
        JsValue::from_f64(6085559000.0),
        JsValue::UNDEFINED,
    ));
    assert_eq!(field(&from_int, "dial").as_string().unwrap(), "6085559000");
    for bad in [
        JsValue::from_f64(1.5),
        JsValue::from_f64(-1.0),
        JsValue::from_f64(f64::NAN),
        JsValue::from_f64(f64::INFINITY),
        JsValue::NULL,
        JsValue::UNDEFINED,
        js("{}"),
    ] {
        assert_eq!(
            failure_code(validate_number(bad, JsValue::UNDEFINED)),
            "INVALID_INPUT"
        );
    }
}

/// The packet's ResponseUrl defaults to the page's own URL ("URL of the
/// requesting Iframe", docs.acqueon.com/docs/api-structure): `location.href`
/// in a browser; where there is none (Node) it must be given.
#[wasm_bindgen_test]
fn the_packet_response_url_is_the_page_url() {
    let options = js(r#"{"envelope":"packet","subscriberId":"66517761"}"#);
    let built = wasm::build_make_call("6085559000".into(), options);
    let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).unwrap();
    if location.is_object() {
        let href = js_sys::Reflect::get(&location, &"href".into()).unwrap();
        assert!(href.as_string().is_some_and(|href| !href.is_empty()));
        assert_eq!(field(&ok(built), "ResponseUrl"), href);
    } else {
        assert_eq!(failure_code(built), "INVALID_INPUT");
    }
    let given =
        js(r#"{"envelope":"packet","subscriberId":"1","responseUrl":"https://g.example/x"}"#);
    let packet = ok(wasm::build_make_call("6085559000".into(), given));
    assert_eq!(
        field(&packet, "ResponseUrl"),
        JsValue::from_str("https://g.example/x")
    );
}

#[wasm_bindgen_test]
fn build_make_call_gives_the_documented_wire_form() {
    let built = ok(wasm::build_make_call(
        "(608) 555-9000".into(),
        JsValue::UNDEFINED,
    ));
    assert_eq!(
        text(&built),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}"#
    );
    let with_source = ok(wasm::build_make_call(
        JsValue::from_f64(1234567890.0),
        js(r#"{"source":"my-crm"}"#),
    ));
    assert_eq!(
        text(&with_source),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"1234567890","source":"my-crm"}"#
    );
    let invalid = wasm::build_make_call("12".into(), JsValue::UNDEFINED);
    let validation = field(invalid.as_ref().unwrap_err(), "validation");
    assert_eq!(failure_code(invalid), "TOO_SHORT");
    assert_eq!(field(&validation, "ok"), JsValue::FALSE);
    assert_eq!(field(&validation, "input"), JsValue::from_str("12"));
}

#[wasm_bindgen_test]
fn parse_message_reads_the_seed_sample_as_text_and_as_an_object() {
    let from_text = ok(wasm::parse_message(SEED_SAMPLE.into()));
    assert_eq!(
        field(&from_text, "kind").as_string().unwrap(),
        "callStateChange"
    );
    let call = field(&from_text, "call");
    assert_eq!(field(&call, "callId").as_string().unwrap(), "16931876");
    assert_eq!(field(&call, "state").as_string().unwrap(), "wrapUp");

    let object = js(
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":16930170,"event":"Alerting"}}}"#,
    );
    let call = ok(wasm::parse_state_change(object));
    assert_eq!(field(&call, "callId").as_string().unwrap(), "16930170");
    assert_eq!(field(&call, "state").as_string().unwrap(), "alerting");
}

/// Writes `bytes` where [`wasm::stage_text`] says, as the glue's
/// `TextEncoder.encodeInto` does, and returns how many were written.
fn stage(bytes: &[u8]) -> usize {
    // Bytes as units: room for at least as many bytes.
    let at = wasm::stage_text(bytes.len());
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    js_sys::Uint8Array::new_with_byte_offset_and_length(
        &memory.buffer(),
        at as u32,
        bytes.len() as u32,
    )
    .copy_from(bytes);
    bytes.len()
}

#[wasm_bindgen_test]
fn staged_text_parses_as_the_string_argument_does() {
    let len = stage(SEED_SAMPLE.as_bytes());
    assert_eq!(
        text(&ok(wasm::parse_message_staged(len, wasm::STAGED_WHOLE))),
        text(&ok(wasm::parse_message(SEED_SAMPLE.into())))
    );
    let bad = "{\"channel\":\"é😀\",, }";
    let len = stage(bad.as_bytes());
    let staged = wasm::parse_message_staged(len, wasm::STAGED_WHOLE).unwrap_err();
    let direct = wasm::parse_message(bad.into()).unwrap_err();
    assert_eq!(field(&staged, "code"), field(&direct, "code"));
    assert_eq!(field(&staged, "index"), field(&direct, "index"));
    // Misuse fails cleanly: a length past the buffer, bytes that are not
    // UTF-8, a length that cuts a character.
    assert_eq!(
        failure_code(wasm::parse_message_staged(usize::MAX, wasm::STAGED_WHOLE)),
        "INVALID_INPUT"
    );
    let len = stage(&[b'{', 0xFF, b'}']);
    assert_eq!(
        failure_code(wasm::parse_message_staged(len, wasm::STAGED_WHOLE)),
        "INVALID_INPUT"
    );
    let len = stage("{\"é\":1}".as_bytes());
    assert_eq!(
        failure_code(wasm::parse_message_staged(len - 5, wasm::STAGED_WHOLE)),
        "INVALID_INPUT"
    );
}

#[wasm_bindgen_test]
fn oversized_text_is_refused_before_it_is_copied() {
    let before = wasm::memory_bytes();
    // Refused on its length: no room is made.
    assert_eq!(wasm::stage_text(json::MAX_INPUT_BYTES + 1), 0);
    assert_eq!(wasm::staged_capacity(), 0);
    // The room never exceeds the limit, whatever the worst case of the text.
    assert_ne!(wasm::stage_text(json::MAX_INPUT_BYTES), 0);
    assert_eq!(wasm::staged_capacity(), json::MAX_INPUT_BYTES);
    assert_eq!(
        failure_code(wasm::parse_message_staged(0, wasm::STAGED_TOO_LARGE)),
        "TOO_LARGE"
    );
    assert_eq!(
        failure_code(wasm::parse_message_staged(0, wasm::STAGED_NOT_JSON)),
        "INVALID_INPUT"
    );
    // A length past the room given is misuse, not a read of stale bytes.
    let at = wasm::stage_text(2);
    assert_ne!(at, 0);
    assert_eq!(
        failure_code(wasm::parse_message_staged(7, wasm::STAGED_WHOLE)),
        "INVALID_INPUT"
    );
    // A string argument over the limit is refused without being copied:
    // 2^26 units of 'é' would need 128 MiB of wasm memory to copy.
    let huge = js_sys::JsString::from("é").repeat(1 << 26);
    assert_eq!(
        failure_code(wasm::parse_message(huge.clone().into())),
        "TOO_LARGE"
    );
    assert_eq!(
        failure_code(wasm::parse_state_change(huge.clone().into())),
        "TOO_LARGE"
    );
    // A number that long is not read: TOO_LONG, as validation data.
    assert_eq!(
        failure_code(wasm::build_make_call(
            huge.clone().into(),
            JsValue::UNDEFINED
        )),
        "TOO_LONG"
    );
    assert_eq!(failure_code(wasm::redact_number(huge.into())), "TOO_LARGE");
    assert!(wasm::memory_bytes() <= before + (json::MAX_INPUT_BYTES as f64) * 1.5);
}

#[wasm_bindgen_test]
fn parse_message_failures_carry_codes() {
    assert_eq!(
        failure_code(wasm::parse_message("{\"a\":".into())),
        "INVALID_JSON"
    );
    assert_eq!(
        failure_code(wasm::parse_message(JsValue::from_f64(1.0))),
        "NOT_AN_OBJECT"
    );
    assert_eq!(
        failure_code(wasm::parse_message(JsValue::NULL)),
        "NOT_AN_OBJECT"
    );
    assert_eq!(
        failure_code(wasm::parse_message(js(r#"{"x":1}"#))),
        "NOT_A_WORKSPACE_MESSAGE"
    );
    // A cycle cannot be read as JSON: a typed failure, not a thrown TypeError.
    let cyclic = js_sys::Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(
        failure_code(wasm::parse_message(cyclic.into())),
        "INVALID_INPUT"
    );
    let other = js(r#"{"channel":"Finesse","topic":"Agent","subtopic":"Login","message":{}}"#);
    assert_eq!(
        failure_code(wasm::parse_state_change(other)),
        "NOT_A_STATE_CHANGE"
    );
}

#[wasm_bindgen_test]
fn call_variables_named_proto_stay_plain_data() {
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"1","event":"active","CallVariables":{"__proto__":"x","constructor":"y"}}}}"#;
    let call = ok(wasm::parse_state_change(text.into()));
    let vars = field(&call, "callVariables");
    let own = js_sys::Object::get_own_property_names(&vars.clone().into());
    assert_eq!(own.length(), 2);
    assert_eq!(
        js_sys::Object::get_prototype_of(&vars),
        js_sys::Object::get_prototype_of(&js("{}"))
    );
}

#[wasm_bindgen_test]
fn tracker_applies_messages_and_rejects_bad_options() {
    let mut tracker = wasm::create_tracker(JsValue::UNDEFINED).unwrap();
    let first = ok(tracker.apply(js(r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"7","event":"initiating"}}}"#)));
    assert_eq!(field(&first, "change").as_string().unwrap(), "new");
    let again = ok(tracker.apply(js(r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"7","event":"initiating"}}}"#)));
    assert_eq!(field(&again, "change").as_string().unwrap(), "duplicate");
    assert_eq!(
        failure_code(wasm::create_tracker(js(r#"{"maxEndedCalls":-1}"#))),
        "INVALID_INPUT"
    );
}

#[wasm_bindgen_test]
fn redaction_keeps_only_the_last_four_digits() {
    assert_eq!(ok(wasm::redact_number("6085559000".into())), "••••••9000");
}

fn recording_gadget(options: &str) -> (wasm::Gadget, std::rc::Rc<std::cell::RefCell<Vec<String>>>) {
    let outputs = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = outputs.clone();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |outputs: JsValue| {
        sink.borrow_mut().push(text(&outputs))
    });
    let function: js_sys::Function = callback
        .as_ref()
        .unchecked_ref::<js_sys::Function>()
        .clone();
    callback.forget();
    let gadget = ok(wasm::create_gadget(js(options), function));
    (gadget, outputs)
}

#[wasm_bindgen_test]
async fn a_dial_with_no_answer_times_out_once_and_releases_its_timer() {
    let (gadget, outputs) = recording_gadget(r#"{"dialTimeoutMs":30}"#);
    let started = ok(gadget.dial("6085559000".into()));
    assert_eq!(field(&started, "dial").as_string().unwrap(), "6085559000");
    assert_eq!(gadget.timer_count(), 1);
    gloo_timers::future::TimeoutFuture::new(90).await;
    let all = outputs.borrow().join("\n");
    assert_eq!(all.matches("\"TIMEOUT\"").count(), 1, "{all}");
    assert_eq!(gadget.timer_count(), 0);
    // The gadget is free for the next dial.
    assert!(gadget.dial("6085559000".into()).is_ok());
    gadget.close();
    assert_eq!(gadget.timer_count(), 0);
}

#[wasm_bindgen_test]
async fn a_correlated_call_settles_the_dial_and_cancels_its_timer() {
    let (gadget, outputs) = recording_gadget(r#"{"dialTimeoutMs":40}"#);
    ok(gadget.dial("6085559000".into()));
    gadget.receive(js(r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"42","event":"initiating","CallType":"OB_OUT","ResponseActual":{"toAddress":"6085559000"}}}}"#));
    assert_eq!(gadget.timer_count(), 0);
    gloo_timers::future::TimeoutFuture::new(80).await;
    let all = outputs.borrow().join("\n");
    assert!(
        all.contains("\"settled\"") && all.contains("\"callId\":\"42\""),
        "{all}"
    );
    assert!(!all.contains("TIMEOUT"), "{all}");
}

#[wasm_bindgen_test]
fn close_settles_a_pending_dial_with_closed() {
    let (gadget, outputs) = recording_gadget("{}");
    ok(gadget.dial("6085559000".into()));
    gadget.close();
    assert!(outputs.borrow().join("").contains("\"CLOSED\""));
    assert_eq!(gadget.timer_count(), 0);
    assert_eq!(failure_code(gadget.dial("6085559000".into())), "CLOSED");
}

#[wasm_bindgen_test]
fn errors_are_made_with_the_class_the_glue_gives() {
    let class: js_sys::Function = js_sys::Function::new_no_args(
        "return class MakecallError extends Error { constructor(code, message, fields) { super(message); this.name = 'MakecallError'; this.code = code; for (const k of Object.keys(fields)) if (k !== 'code' && k !== 'message') this[k] = fields[k]; } }",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .unchecked_into();
    wasm::set_error_class(class.clone());
    let error = wasm::parse_message("{\"a\":".into()).unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    let prototype: js_sys::Object = js_sys::Reflect::get(&class, &"prototype".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(js_sys::Object::get_prototype_of(&error), prototype);
    assert_eq!(field(&error, "code"), JsValue::from_str("INVALID_JSON"));
    assert_eq!(field(&error, "index"), JsValue::from_f64(5.0));
    // Errors inside outputs are the class too.
    let (gadget, _) = recording_gadget("{}");
    let refused = gadget.dial("12".into()).unwrap_err();
    assert_eq!(js_sys::Object::get_prototype_of(&refused), prototype);
    assert_eq!(field(&refused, "reason"), JsValue::from_str("TOO_SHORT"));
    gadget.close();
}
