//! The wasm boundary: the only module that knows about JS.
//!
//! Every export returns its answer as JS values built by serde-wasm-bindgen
//! from the core's `#[derive(Serialize)]` shapes (JSON-compatible: plain
//! objects, arrays, strings, numbers), and fails by throwing a
//! `MakecallError` built in one place ([`make_error`]) from the core's error
//! fields. Nothing here can panic.
//!
//! Two fields are not what serde-wasm-bindgen would make of them:
//! call variables ([`serialize_own_entries`]: own properties, so a variable
//! named `__proto__` stays data) and errors inside outputs
//! ([`serialize_makecall_error`]: the `MakecallError` itself).
//!
//! Timers (a dial's deadline) live here as `gloo_timers` handles: dropping a
//! handle cancels it, so a settled, aborted or closed dial leaves no timer.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;

use serde::Serialize;
use serde_wasm_bindgen::Serializer;

use crate::dialplan::{self, InvalidNumber, Plan, Rejection, Validation};
use crate::error::{Code, Error};
use crate::gadget::{self, CanDial, GadgetConfig, GadgetCore, Output};
use crate::json::{self, Value};
use crate::make_call::{self, MakeCallOptions};
use crate::message;
use crate::model::{Call, Message};
use crate::text::msg;
use crate::tracker;

/// The heap allocator: a small first-fit free list (coalescing adjacent
/// blocks) instead of the default dlmalloc, which was about 8 KB of the
/// wasm. The lock is an uncontended spin flag: wasm here is single-threaded.
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

thread_local! {
    /// The page's (or Node's) `performance`, read once; `None` where there
    /// is none.
    static PERFORMANCE: Option<web_sys::Performance> = js_sys::Reflect::get(
        &js_sys::global(),
        &JsValue::from_str("performance"),
    )
    .ok()
    .filter(|value| value.is_object())
    .map(|value| value.unchecked_into::<web_sys::Performance>());
}

/// The time for call snapshots and dial starts, in whole ms since the
/// epoch, from the monotonic clock (`performance.timeOrigin +
/// performance.now()`): a wall-clock change (NTP, the user setting the time)
/// cannot make a later event look older. `Date.now()` where there is no
/// `performance`.
fn now_ms() -> f64 {
    PERFORMANCE.with(|performance| match performance {
        Some(performance) => (performance.time_origin() + performance.now()).floor(),
        None => js_sys::Date::now(),
    })
}

/// Plain objects and arrays, numbers as JS numbers (no `Map`, no BigInt).
const SERIALIZER: Serializer = Serializer::json_compatible();

/// A core shape as a JS value. The shapes hold only strings, numbers,
/// booleans, sequences and structs, which serde-wasm-bindgen never refuses.
fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value.serialize(&SERIALIZER).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    /// The glue's `MakecallError` class (see [`set_error_class`]).
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Tells the core which class its errors are: the glue's `MakecallError`,
/// given once at `init()`, so errors thrown here and in JS are one class.
#[wasm_bindgen]
pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// The one place errors are made: `new MakecallError(code, message, fields)`
/// from serialised error fields (`{code, message, ...}`). Without a class
/// (the boundary's own tests) it is an `Error` named `MakecallError` with
/// the same own properties.
fn make_error(fields: JsValue) -> JsValue {
    let read =
        |key: &str| js_sys::Reflect::get(&fields, &JsValue::from_str(key)).unwrap_or_default();
    let (code, message) = (read("code"), read("message"));
    let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
    if let Some(class) = class {
        if let Ok(error) =
            js_sys::Reflect::construct(&class, &js_sys::Array::of3(&code, &message, &fields))
        {
            return error;
        }
    }
    let error = js_sys::Error::new(&message.as_string().unwrap_or_default());
    error.set_name("MakecallError");
    js_sys::Object::assign(&error, fields.unchecked_ref());
    error.into()
}

/// The `MakecallError` of an error's fields, to throw.
fn thrown<T: Serialize + ?Sized>(fields: &T) -> JsValue {
    make_error(to_js(fields))
}

/// A core result as an export's: the value, or the error to throw.
fn answer<T: Serialize>(result: Result<T, Error>) -> Result<JsValue, JsValue> {
    match result {
        Ok(value) => Ok(to_js(&value)),
        Err(error) => Err(thrown(&error)),
    }
}

/// Serialises an error inside an output as the `MakecallError` itself (see
/// `error::AsMakecallError`).
pub(crate) fn serialize_makecall_error<T: Serialize + ?Sized, S: serde::Serializer>(
    fields: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde_wasm_bindgen::preserve::serialize(&thrown(fields), serializer)
}

/// Serialises call variables as an object of own data properties, in
/// order. serde-wasm-bindgen fills objects by assignment (`obj[key] =
/// value`), which for the key `__proto__` runs `Object.prototype`'s setter
/// (a string value is then dropped) instead of adding data: that one key is
/// defined as an own property, every other key is assigned (the fast path;
/// no other key of a plain object has an inherited setter).
pub(crate) fn serialize_own_entries<S: serde::Serializer>(
    entries: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let object = js_sys::Object::new();
    for (name, value) in entries {
        if name == "__proto__" {
            let descriptor = js_sys::Object::new();
            let set = |key: &str, value: &JsValue| {
                let _ = js_sys::Reflect::set(&descriptor, &JsValue::from_str(key), value);
            };
            set("value", &JsValue::from_str(value));
            for flag in ["writable", "enumerable", "configurable"] {
                set(flag, &JsValue::TRUE);
            }
            js_sys::Object::define_property(&object, &JsValue::from_str(name), &descriptor);
        } else {
            object.unchecked_ref::<PlainObject>().set(name, value);
        }
    }
    serde_wasm_bindgen::preserve::serialize(&object, serializer)
}

#[wasm_bindgen]
extern "C" {
    /// A plain object filled by assignment (as serde-wasm-bindgen does).
    type PlainObject;

    #[wasm_bindgen(method, indexing_setter)]
    fn set(this: &PlainObject, key: &str, value: &str);
}

/// Copies a JS string into wasm when it can be within the input limit.
///
/// `None` when `input` is not a string. A string of more than
/// [`json::MAX_INPUT_BYTES`] UTF-16 units has more UTF-8 bytes than that
/// too, so it is refused with `TOO_LARGE` on its length alone, read without
/// copying: copying first is what let one huge message grow the wasm memory
/// by gigabytes (and memory never shrinks).
fn bounded_string(input: &JsValue, what: &str) -> Option<Result<String, Error>> {
    let text = input.dyn_ref::<js_sys::JsString>()?;
    let units = text.length() as usize;
    if units > json::MAX_INPUT_BYTES {
        return Some(Err(too_large(what)));
    }
    Some(Ok(String::from(text)))
}

/// The `TOO_LARGE` error of a text refused before it was copied (or staged)
/// whole, so its exact size in bytes is not known.
fn too_large(what: &str) -> Error {
    Error::new(
        Code::TooLarge,
        msg!(
            what,
            " is more than ",
            json::MAX_INPUT_BYTES,
            " bytes of text; the limit is ",
            json::MAX_INPUT_BYTES
        ),
    )
}

/// Reads a JS value that must be JSON-shaped (an options object, a message)
/// as JSON text, for [`json::parse_lenient`] (a [`Value`] borrows from its
/// text, so the caller keeps the text): strings are taken as JSON text,
/// objects go through `JSON.stringify` (which also drops functions such as a
/// transport). Every entry point parses it as the message parser does
/// (no-break spaces between tokens are whitespace), so all accept the same texts.
fn json_text_from_js(input: &JsValue, what: &str) -> Result<String, Error> {
    if let Some(text) = bounded_string(input, what) {
        return text;
    }
    if input.is_object() {
        // Options objects come from the gadget's own code; workspace
        // messages never get here (the glue stages them with a bounded walk).
        let text = js_sys::JSON::stringify(input).map_err(|_| not_json(what))?;
        return bounded_string(text.as_ref(), what).unwrap_or_else(|| Ok(String::new()));
    }
    Err(Error::new(
        Code::NotAnObject,
        msg!(
            what,
            " must be an object or a JSON string, not ",
            js_type(input)
        ),
    ))
}

fn not_json(what: &str) -> Error {
    Error::new(
        Code::InvalidInput,
        msg!(
            what,
            " cannot be converted to JSON (a cycle, or a BigInt value)"
        ),
    )
}

fn js_type(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_default()
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`: own enumerable string keys, never inherited ones;
    /// `catch`, since a Proxy's `ownKeys` trap may throw.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn own_keys(object: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `Array.isArray`; `catch`, since it throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// The most values (at every level) an options argument may hold.
const MAX_OPTION_VALUES: usize = 10_000;

/// Reads an optional options argument (`undefined` and `null` are absent;
/// a string stays a string, a preset name) into a [`Value`], the one way
/// options cross from JS.
///
/// Only own enumerable properties are read, in `Object.keys` order: an
/// inherited property, even on a polluted `Object.prototype`, changes
/// nothing, and no `toJSON` is called. `undefined`, functions and symbols
/// are left out (as absent), `NaN` and the infinities are `null`, a BigInt
/// is refused. A getter or Proxy trap that throws, nesting deeper than
/// [`json::MAX_DEPTH`] (a cycle) or more than [`MAX_OPTION_VALUES`] values
/// fail with `code` and the option's path. An array's length is checked
/// before its elements are read, so a sparse array costs one step.
fn options_from_js(
    input: &JsValue,
    what: &str,
    code: Code,
) -> Result<Option<Value<'static>>, Error> {
    if input.is_undefined() || input.is_null() {
        return Ok(None);
    }
    if input.is_function() || input.is_symbol() || input.is_bigint() {
        return Err(Error::new(
            Code::InvalidInput,
            msg!(what, " must be an object or a string, not ", js_type(input)),
        ));
    }
    let mut walk = OptionsWalk {
        code,
        what,
        left: MAX_OPTION_VALUES,
    };
    walk.value(input, "", 0)
}

struct OptionsWalk<'a> {
    code: Code,
    what: &'a str,
    left: usize,
}

impl OptionsWalk<'_> {
    fn fail(&self, path: &str, why: &str) -> Error {
        let error = Error::new(self.code, msg!(self.what, ": ", why));
        if path.is_empty() {
            error
        } else {
            error.with_path(path)
        }
    }

    fn value(
        &mut self,
        value: &JsValue,
        path: &str,
        depth: usize,
    ) -> Result<Option<Value<'static>>, Error> {
        if self.left == 0 {
            return Err(self.fail(path, &msg!("more than ", MAX_OPTION_VALUES, " values")));
        }
        self.left -= 1;
        if value.is_undefined() || value.is_function() || value.is_symbol() {
            return Ok(None);
        }
        if value.is_null() {
            return Ok(Some(Value::Null));
        }
        if let Some(flag) = value.as_bool() {
            return Ok(Some(Value::Bool(flag)));
        }
        if let Some(number) = value.as_f64() {
            if !number.is_finite() {
                return Ok(Some(Value::Null));
            }
            let mut text = String::new();
            crate::text::push_json_f64(&mut text, number);
            return Ok(Some(Value::Number(text.into())));
        }
        if let Some(text) = bounded_string(value, "an option") {
            return text
                .map(|text| Some(Value::String(text.into())))
                .map_err(|error| self.fail(path, &error.message));
        }
        if value.is_bigint() {
            return Err(self.fail(path, "a BigInt; give a number or a string"));
        }
        if depth >= json::MAX_DEPTH {
            return Err(self.fail(path, "nested deeper than 64 levels (a cycle?)"));
        }
        let unreadable =
            |walk: &Self, at: &str| walk.fail(at, "could not be read (a getter or Proxy threw)");
        let array = is_array(value).map_err(|_| unreadable(self, path))?;
        if array || js_sys::ArrayBuffer::is_view(value) {
            let length = js_sys::Reflect::get(value, &JsValue::from_str("length"))
                .map_err(|_| unreadable(self, path))?
                .as_f64()
                .unwrap_or(0.0);
            if length > self.left as f64 {
                return Err(self.fail(path, &msg!("more than ", MAX_OPTION_VALUES, " values")));
            }
            let mut items = Vec::new();
            for index in 0..length as u32 {
                let at = msg!(path, "[", index, "]");
                let item =
                    js_sys::Reflect::get_u32(value, index).map_err(|_| unreadable(self, &at))?;
                items.push(self.value(&item, &at, depth + 1)?.unwrap_or(Value::Null));
            }
            return Ok(Some(Value::Array(items)));
        }
        let keys = own_keys(value).map_err(|_| unreadable(self, path))?;
        let mut entries = Vec::new();
        for key in keys.iter() {
            let name = key.as_string().unwrap_or_default();
            let at = if path.is_empty() {
                name.clone()
            } else {
                msg!(path, ".", name)
            };
            let item = js_sys::Reflect::get(value, &key).map_err(|_| unreadable(self, &at))?;
            if let Some(item) = self.value(&item, &at, depth + 1)? {
                entries.push((name.into(), item));
            }
        }
        Ok(Some(Value::Object(entries)))
    }
}

/// Reads a number argument: a string as is, a JS number when it is a
/// non-negative safe integer (the seed's sample request sends `data: 1234567890`).
///
/// A string too long to copy (see [`bounded_string`]) is not read at all:
/// it is the validation failure `TOO_LONG` (the inner `Err`), as data for
/// `validateNumber`, since no dial string is anywhere near that long.
fn number_from_js(input: &JsValue) -> Result<Result<String, Rejection>, Error> {
    Ok(number_argument(input)?.map(|(text, _)| text))
}

/// [`number_from_js`], also telling whether the argument was a JS number
/// (its digits are then not the caller's text: `validateNumber` returns
/// them as `input`), so the argument's type is asked of JS once.
fn number_argument(input: &JsValue) -> Result<Result<(String, bool), Rejection>, Error> {
    if let Some(text) = input.dyn_ref::<js_sys::JsString>() {
        let units = text.length() as usize;
        if units > json::MAX_INPUT_BYTES {
            return Ok(Err(Rejection::oversized(units)));
        }
        return Ok(Ok((String::from(text), false)));
    }
    if let Some(number) = input.as_f64() {
        return make_call::number_text_from_f64(number).map(|text| Ok((text, true)));
    }
    Err(Error::new(
        Code::InvalidInput,
        msg!("a number must be a string, not ", js_type(input)),
    ))
}

/// `validateNumber`'s result for a number argument, read by
/// `validate` (the plan's, or the gadget's). The result of a string
/// argument, and of an oversized one, has no `input`: the glue puts the
/// argument there, which saves a string crossing per call; a JS number's
/// result has the text it was read as. Only an argument of the wrong type
/// throws.
/// `validated` gets the argument's text and whether it was a JS number.
fn validation_js(
    input: &JsValue,
    validated: impl FnOnce(&str, bool) -> JsValue,
) -> Result<JsValue, JsValue> {
    match number_argument(input) {
        Ok(Ok((text, from_number))) => Ok(validated(&text, from_number)),
        Ok(Err(rejection)) => Ok(validation_value(&Err(rejection), false, None)),
        Err(error) => Err(thrown(&error)),
    }
}

#[wasm_bindgen]
extern "C" {
    /// The glue's builders of `validateNumber` results (see
    /// [`set_result_builders`]): each makes the whole result object in one
    /// call from the values the core decided, leaving absent (`undefined`)
    /// fields out, with the fields in the order [`Validation`] serialises
    /// them.
    pub type ResultBuilders;

    #[wasm_bindgen(method, js_name = valid)]
    #[allow(clippy::too_many_arguments)]
    fn build_valid(
        this: &ResultBuilders,
        dial: &str,
        kind: &JsValue,
        e164: Option<&str>,
        country: &JsValue,
        number_type: &JsValue,
        extension: Option<&str>,
        national: Option<&str>,
        international: Option<&str>,
        deferred: bool,
        input: Option<&str>,
    ) -> JsValue;

    #[wasm_bindgen(method, js_name = invalid)]
    fn build_invalid(
        this: &ResultBuilders,
        code: &JsValue,
        message: &JsValue,
        index: Option<u32>,
        input: Option<&str>,
    ) -> JsValue;
}

thread_local! {
    /// The glue's result builders (see [`set_result_builders`]).
    static RESULT_BUILDERS: RefCell<Option<ResultBuilders>> = const { RefCell::new(None) };
}

/// Gives the core the glue's builders of `validateNumber` results, once at
/// `init()`. serde-wasm-bindgen sets every field with its own call into JS
/// and decodes every string on its own (a quarter to a third of a
/// validation by country); a builder takes the values in one call. Without
/// builders (the boundary's own tests) results are serialised as before.
#[wasm_bindgen]
pub fn set_result_builders(builders: ResultBuilders) {
    RESULT_BUILDERS.with(|slot| *slot.borrow_mut() = Some(builders));
}

/// A validation result as a JS value: by the glue's builders when set, else
/// serialised ([`Validation`]); the same object either way. `deferred`: the
/// number has a `formatted` that the core writes when it is first read
/// ([`formatted_of`]; the builder wires the getter).
fn validation_value(
    result: &Result<dialplan::ValidNumber, Rejection>,
    deferred: bool,
    input: Option<&str>,
) -> JsValue {
    let built = RESULT_BUILDERS.with(|slot| {
        let slot = slot.borrow();
        let builders = slot.as_ref()?;
        Some(match result {
            Ok(valid) => {
                let optional =
                    |name: Option<&'static str>| name.map_or(JsValue::UNDEFINED, static_name);
                let formatted = valid.formatted.as_ref();
                builders.build_valid(
                    &valid.dial,
                    &static_name(valid.kind.as_str()),
                    valid.e164.as_deref(),
                    &optional(valid.country),
                    &optional(valid.number_type.map(|number_type| number_type.as_str())),
                    valid.extension.as_deref(),
                    formatted.map(|forms| forms.national.as_str()),
                    formatted.map(|forms| forms.international.as_str()),
                    deferred,
                    input,
                )
            }
            Err(rejection) => builders.build_invalid(
                &static_name(rejection.code.as_str()),
                &message_value(&rejection.message),
                rejection.index.map(crate::error::index_u32),
                input,
            ),
        })
    });
    built.unwrap_or_else(|| {
        // Without builders nothing can be deferred: written now.
        let formatted_now;
        let result = match result {
            Ok(valid) if deferred && valid.formatted.is_none() => {
                let mut valid = valid.clone();
                valid.formatted = valid.e164.as_deref().and_then(|e164| {
                    dialplan::formatted_of(e164, valid.country, valid.extension.as_deref())
                });
                formatted_now = Ok(valid);
                &formatted_now
            }
            _ => result,
        };
        to_js(&Validation { result, input })
    })
}

/// The `formatted` of a `validateNumber` result written when first read:
/// `{national, international}` of the result's `e164`, `country` and
/// `extension` (the same text a validation would have written), or
/// `undefined` when the number has none. They are the result's fields, so
/// a caller may have changed them: anything but a string is read as absent.
#[wasm_bindgen]
pub fn formatted_of(e164: &JsValue, country: &JsValue, extension: &JsValue) -> JsValue {
    let Some(e164) = e164.as_string() else {
        return JsValue::UNDEFINED;
    };
    let (country, extension) = (country.as_string(), extension.as_string());
    dialplan::formatted_of(&e164, country.as_deref(), extension.as_deref())
        .map_or(JsValue::UNDEFINED, |formatted| to_js(&formatted))
}

/// Slots of the cache of JS strings for static names.
const NAME_SLOTS: usize = 64;

thread_local! {
    /// JS strings of static names (kinds, types, codes, regions), keyed by
    /// where the name is (a `&'static str` does not move), one per slot.
    static NAMES: RefCell<Vec<Option<(usize, usize, JsValue)>>> = RefCell::new(vec![None; NAME_SLOTS]);
}

/// The JS string of a static name: decoded once and kept (a slot taken by
/// another name is given to the newer one), since a result has three or four.
fn static_name(name: &'static str) -> JsValue {
    let key = name.as_ptr() as usize;
    let slot = (key ^ (key >> 7)) % NAME_SLOTS;
    NAMES.with(|names| {
        let Ok(mut names) = names.try_borrow_mut() else {
            return JsValue::from_str(name);
        };
        match names.get_mut(slot) {
            Some(Some((at, len, value))) if *at == key && *len == name.len() => value.clone(),
            Some(entry) => {
                let value = JsValue::from_str(name);
                *entry = Some((key, name.len(), value.clone()));
                value
            }
            None => JsValue::from_str(name),
        }
    })
}

/// Slots of the cache of JS strings for failure messages.
const MESSAGE_SLOTS: usize = 32;

thread_local! {
    /// JS strings of recent failure messages, by their text's hash.
    static MESSAGES: RefCell<Vec<Option<(String, JsValue)>>> = RefCell::new(vec![None; MESSAGE_SLOTS]);
}

/// A failure message as a JS string. Messages are few and repeat (most are
/// fixed text or differ in a digit count), and at 40-70 bytes each is decoded
/// by `TextDecoder`, which is slow for short strings: the last one of each
/// slot is kept (a short message is as quick to copy as to look up).
fn message_value(message: &str) -> JsValue {
    if message.len() <= 16 {
        return JsValue::from_str(message);
    }
    // FNV-1a over the bytes.
    let hash = message.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let slot = usize::try_from(hash).unwrap_or(0) % MESSAGE_SLOTS;
    MESSAGES.with(|messages| {
        let Ok(mut messages) = messages.try_borrow_mut() else {
            return JsValue::from_str(message);
        };
        match messages.get_mut(slot) {
            Some(Some((text, value))) if text == message => value.clone(),
            Some(entry) => {
                let value = JsValue::from_str(message);
                *entry = Some((message.to_string(), value.clone()));
                value
            }
            None => JsValue::from_str(message),
        }
    })
}

/// A compiled dial plan, so repeated validations skip re-reading the options.
#[wasm_bindgen]
pub struct DialPlan {
    plan: Plan,
}

#[wasm_bindgen]
impl DialPlan {
    /// Compiles plan options (for [`compile_plan`]).
    fn from_js(input: &JsValue) -> Result<DialPlan, Error> {
        // Whatever is wrong with a plan (its type, an option, bad JSON) is
        // reported as INVALID_PLAN, the one code callers check for plans.
        let as_plan_error = |mut error: Error| {
            error.code = Code::InvalidPlan;
            error
        };
        let value = options_from_js(input, "the plan", Code::InvalidPlan).map_err(as_plan_error)?;
        // COUNTRY_NOT_LOADED is not a malformed plan: it asks for loadCountries.
        let plan = Plan::from_value(value.as_ref()).map_err(|error| {
            if error.code == Code::CountryNotLoaded {
                error
            } else {
                as_plan_error(error)
            }
        })?;
        Ok(DialPlan { plan })
    }

    /// Validates a number under this plan: the `validateNumber` result,
    /// its `formatted` written when first read (see [`formatted_of`]).
    pub fn validate(&self, input: JsValue) -> Result<JsValue, JsValue> {
        validation_js(&input, |text, from_number| {
            self.validated(text, from_number)
        })
    }

    /// [`DialPlan::validate`] of a string the glue has checked is within
    /// the input limit ([`max_input_bytes`] UTF-16 units): passed as text,
    /// which saves asking JS for the argument's type, length and text. The
    /// result is the one the glue's builder (see [`set_result_builders`])
    /// made during the call and keeps: not returned, since a returned JS
    /// value costs the glue one more call into wasm (to free its slot in the
    /// table of JS values).
    pub fn validate_text(&self, text: &str) {
        drop(self.validated(text, false));
    }

    /// The result of validating `text` (`from_number`: the argument was a
    /// JS number, whose text the result then carries as `input`).
    fn validated(&self, text: &str, from_number: bool) -> JsValue {
        let (result, formattable) = match dialplan::validate_deferred(text, &self.plan) {
            Ok((valid, formattable)) => (Ok(valid), formattable),
            Err(rejection) => (Err(rejection), false),
        };
        validation_value(&result, formattable, from_number.then_some(text))
    }

    /// `formatNumber(input, style, plan)`: the formatted number; throws the
    /// validation code of a refused number.
    pub fn format(&self, input: JsValue, style: &str) -> Result<String, JsValue> {
        let Some(style) = crate::numbering::formatting::Style::from_name(style) else {
            return Err(thrown(
                &Error::new(
                    Code::InvalidInput,
                    "the style is \"national\", \"international\" or \"e164\"",
                )
                .with_path("style"),
            ));
        };
        let text = match number_from_js(&input) {
            Ok(Ok(text)) => text,
            Ok(Err(rejection)) => return Err(thrown(&rejection.to_error())),
            Err(error) => return Err(thrown(&error)),
        };
        dialplan::format_number(&text, style, &self.plan)
            .map_err(|rejection| thrown(&rejection.to_error()))
    }
}

/// Compiles plan options into a [`DialPlan`]; throws `INVALID_PLAN` (or
/// `COUNTRY_NOT_LOADED`).
#[wasm_bindgen]
pub fn compile_plan(input: JsValue) -> Result<DialPlan, JsValue> {
    DialPlan::from_js(&input).map_err(|error| thrown(&error))
}

/// The URL of the page this module runs in (`location.href`), the packet
/// envelope's default `ResponseUrl` ("URL of the requesting Iframe"); `None`
/// outside a browser page (Node, workers without a location).
fn frame_url() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location")).ok()?;
    if !location.is_object() {
        return None;
    }
    js_sys::Reflect::get(&location, &JsValue::from_str("href"))
        .ok()?
        .as_string()
}

/// `buildMakeCall(number, options?)`: the MakeCall request; an invalid
/// number throws its validation code with the failed validation result
/// under `validation`.
#[wasm_bindgen]
pub fn build_make_call(number: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let number = number_from_js(&number).map_err(|e| thrown(&e))?;
    let options_value =
        options_from_js(&options, "the options", Code::InvalidOptions).map_err(|e| thrown(&e))?;
    let options =
        MakeCallOptions::from_value_in_frame(options_value.as_ref(), frame_url().as_deref())
            .map_err(|e| thrown(&e))?;
    let built = match &number {
        Ok(text) => make_call::build_make_call(text, &options),
        Err(rejection) => Err(make_call::BuildError::Invalid(rejection.clone())),
    };
    match built {
        Ok(request) => Ok(to_js(&request)),
        Err(make_call::BuildError::Envelope(error)) => Err(thrown(&error)),
        Err(make_call::BuildError::Invalid(rejection)) => Err(thrown(&InvalidNumber {
            rejection: &rejection,
            input: number.as_ref().ok().map(String::as_str),
        })),
    }
}

/// `parseMessage(input)`: the parsed message.
#[wasm_bindgen]
pub fn parse_message(input: JsValue) -> Result<JsValue, JsValue> {
    answer(message_from_js(&input))
}

/// A message from JS: JSON text, or an object (see [`json_text_from_js`]).
fn message_from_js(input: &JsValue) -> Result<Message, Error> {
    message::parse_message_text(&json_text_from_js(input, "the message")?)
}

/// A call read from JS by `read` (one function for both callers, since
/// every caller of a generic helper got its own copy in the wasm).
fn call_from_js(
    input: &JsValue,
    what: &str,
    read: fn(&Value<'_>) -> Result<Call, Error>,
) -> Result<Call, Error> {
    read(&json::parse_lenient(&json_text_from_js(input, what)?)?)
}

thread_local! {
    /// Text the glue writes straight into linear memory (see [`stage_text`]).
    static STAGED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// How many bytes of [`STAGED`] the glue may fill for the text being staged.
    static STAGED_CAPACITY: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The `status` of a `*_staged` call: the glue wrote the whole text.
pub const STAGED_WHOLE: u32 = 0;
/// The `status` of a `*_staged` call: the text did not fit (`stage_text`
/// returned 0, or `encodeInto` did not read it all), or the glue's bounded
/// walk of an object refused it: either way it is over the input limit.
pub const STAGED_TOO_LARGE: u32 = 1;
/// The `status` of a `*_staged` call: an object could not be converted to
/// JSON (a cycle, a BigInt).
pub const STAGED_NOT_JSON: u32 = 2;

/// Makes room for a text of `units` UTF-16 units and returns the address
/// the glue fills with `TextEncoder.encodeInto`, at most
/// [`staged_capacity`] bytes, before calling a `*_staged` export with the
/// length written and a status.
///
/// Returns 0, and allocates nothing, when `units` alone shows the text is
/// over [`json::MAX_INPUT_BYTES`] (every UTF-16 unit is at least one UTF-8
/// byte). Otherwise the room is the text's worst case (3 bytes a unit) but
/// never more than the limit: a text whose UTF-8 does not fit is too large,
/// and `encodeInto` stops at the end of the room. So the buffer, and the
/// wasm memory, never grow past the limit whatever a workspace sends.
///
/// Why staging: passing a string argument copies it into wasm one UTF-16
/// unit at a time in JS (wasm-bindgen's glue), which cost more than a third
/// of a typical `parseMessage`; `encodeInto` copies natively, and only up to
/// the room given.
#[wasm_bindgen]
pub fn stage_text(units: usize) -> usize {
    if units > json::MAX_INPUT_BYTES {
        STAGED_CAPACITY.with(|capacity| capacity.set(0));
        return 0;
    }
    let room = units.saturating_mul(3).min(json::MAX_INPUT_BYTES);
    STAGED_CAPACITY.with(|capacity| capacity.set(room));
    STAGED.with(|staged| {
        let mut staged = staged.borrow_mut();
        if staged.len() < room {
            staged.resize(room, 0);
        }
        staged.as_mut_ptr() as usize
    })
}

/// The bytes the glue may write at the address [`stage_text`] returned.
#[wasm_bindgen]
pub fn staged_capacity() -> usize {
    STAGED_CAPACITY.with(|capacity| capacity.get())
}

/// Reads the first `len` staged bytes with `read` (`what` names the input
/// in errors). The buffer is released before anything else runs, so a
/// re-entrant call from JS (e.g. a gadget listener calling `parseMessage`)
/// finds it free.
fn parse_staged<T>(
    len: usize,
    status: u32,
    what: &str,
    read: fn(&str) -> Result<T, Error>,
) -> Result<T, Error> {
    match status {
        STAGED_WHOLE => {}
        STAGED_NOT_JSON => return Err(not_json(what)),
        _ => return Err(too_large(what)),
    }
    if len > staged_capacity() {
        return Err(Error::new(Code::InvalidInput, "no staged text"));
    }
    STAGED.with(|staged| {
        let staged = staged.borrow();
        // Always valid UTF-8 from encodeInto; checked so a misuse fails cleanly.
        match staged.get(..len).map(std::str::from_utf8) {
            Some(Ok(text)) => read(text),
            _ => Err(Error::new(Code::InvalidInput, "no staged text")),
        }
    })
}

/// `parseMessage(text)` of text staged by [`stage_text`].
#[wasm_bindgen]
pub fn parse_message_staged(len: usize, status: u32) -> Result<JsValue, JsValue> {
    answer(parse_staged(
        len,
        status,
        "the message",
        message::parse_message_text,
    ))
}

/// `parseStateChange(text)` of text staged by [`stage_text`].
#[wasm_bindgen]
pub fn parse_state_change_staged(len: usize, status: u32) -> Result<JsValue, JsValue> {
    answer(parse_staged(len, status, "the message", |text| {
        message::parse_state_change_value(&json::parse_lenient(text)?)
    }))
}

/// `parseStateChange(input)`: the call only.
#[wasm_bindgen]
pub fn parse_state_change(input: JsValue) -> Result<JsValue, JsValue> {
    answer(call_from_js(
        &input,
        "the message",
        message::parse_state_change_value,
    ))
}

/// `redactNumber(text)`: every digit but the last four hidden (throws
/// for text over the input limit, refused uncopied).
#[wasm_bindgen]
pub fn redact_number(text: JsValue) -> Result<String, JsValue> {
    match bounded_string(&text, "the text") {
        Some(Ok(text)) => Ok(gadget::redact_number(&text)),
        Some(Err(error)) => Err(thrown(&error)),
        None => Err(thrown(&Error::new(
            Code::InvalidInput,
            msg!("the text must be a string, not ", js_type(&text)),
        ))),
    }
}

/// `inertText(text, maxChars)`: workspace text made safe to display.
#[wasm_bindgen]
pub fn inert_text(text: &str, max_chars: u32) -> String {
    crate::display::inert(text, usize::try_from(max_chars).unwrap_or(usize::MAX))
}

/// `metadataVersion()`: the version of libphonenumber's metadata compiled in.
#[wasm_bindgen]
pub fn metadata_version() -> String {
    crate::numbering::metadata_version().to_string()
}

/// `loadCountries` step 1: the metadata files the regions need (an array
/// of file names) for a JSON request (`["GB"]` or `"all"`).
#[wasm_bindgen]
pub fn metadata_files(request: &str) -> Result<JsValue, JsValue> {
    let parsed = json::parse(request).map_err(|error| thrown(&error))?;
    answer(crate::numbering::files_for(&parsed))
}

/// `loadCountries` step 2: adds one metadata file's bytes; returns its
/// calling code.
#[wasm_bindgen]
pub fn load_metadata(bytes: &[u8]) -> Result<String, JsValue> {
    crate::numbering::load(bytes)
        .map(|code| code.to_string())
        .map_err(|_| {
            thrown(&Error::new(
                Code::InvalidInput,
                "not a numbering metadata file of this makecall version",
            ))
        })
}

/// `new AsYouType(country?)`: the as-you-type formatter (wrapped by the
/// glue's `AsYouType`).
#[wasm_bindgen]
pub struct AsYouTypeFormatter {
    inner: crate::numbering::as_you_type::AsYouType,
}

#[wasm_bindgen]
impl AsYouTypeFormatter {
    /// `.input(text)`: the number typed so far, formatted; throws for a
    /// text that is not a string or is too long.
    pub fn input(&mut self, text: JsValue) -> Result<String, JsValue> {
        let text = match number_from_js(&text) {
            Ok(Ok(text)) => text,
            Ok(Err(rejection)) => return Err(thrown(&rejection.to_error())),
            Err(error) => return Err(thrown(&error)),
        };
        Ok(self.inner.input(&text).to_string())
    }

    /// `.reset()`: forgets what was typed.
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Creates an as-you-type formatter for a region (`"GB"`; `undefined` or
/// `null`: `+` numbers only); throws for an unknown or unloaded region.
#[wasm_bindgen]
pub fn as_you_type(country: JsValue) -> Result<AsYouTypeFormatter, JsValue> {
    let region = if country.is_undefined() || country.is_null() {
        Ok(None)
    } else {
        match country.dyn_ref::<js_sys::JsString>() {
            Some(text) if text.length() <= 8 => {
                dialplan::country_named(&String::from(text), "country", Code::InvalidInput)
                    .map(Some)
            }
            _ => Err(Error::new(
                Code::InvalidInput,
                "the country is an ISO 3166 region code such as \"GB\"",
            )
            .with_path("country")),
        }
    };
    match region {
        Ok(region) => Ok(AsYouTypeFormatter {
            inner: crate::numbering::as_you_type::AsYouType::new(region),
        }),
        Err(error) => Err(thrown(&error)),
    }
}

/// The call tracker exported to JS (wrapped by the glue's `CallTracker`).
#[wasm_bindgen]
pub struct Tracker {
    inner: tracker::CallTracker,
}

/// Creates a call tracker from `{ maxEndedCalls? }`; throws for bad options.
#[wasm_bindgen]
pub fn create_tracker(options: JsValue) -> Result<Tracker, JsValue> {
    let max = options_from_js(&options, "the tracker options", Code::InvalidOptions)
        .and_then(|value| tracker::max_ended_calls_option(value.as_ref()));
    match max {
        Ok(max) => Ok(Tracker {
            inner: tracker::CallTracker::new(max),
        }),
        Err(error) => Err(thrown(&error)),
    }
}

#[wasm_bindgen]
impl Tracker {
    /// Applies a state-change message (or a parsed call): `{change, call}`.
    pub fn apply(&mut self, input: JsValue) -> Result<JsValue, JsValue> {
        let call = call_from_js(&input, "the event", message::parse_call_or_message);
        self.apply_call(call)
    }

    /// [`Tracker::apply`] of text staged by [`stage_text`].
    pub fn apply_staged(&mut self, len: usize, status: u32) -> Result<JsValue, JsValue> {
        let call = parse_staged(len, status, "the event", |text| {
            message::parse_call_or_message(&json::parse_lenient(text)?)
        });
        self.apply_call(call)
    }

    fn apply_call(&mut self, call: Result<Call, Error>) -> Result<JsValue, JsValue> {
        let call = call.map_err(|error| thrown(&error))?;
        let (change, snapshot) = self.inner.apply(&call, now_ms());
        Ok(to_js(&tracker::Applied {
            change,
            call: &snapshot,
        }))
    }

    /// Every tracked call, oldest first.
    pub fn calls(&self) -> JsValue {
        to_js(&self.inner.calls())
    }
}

/// State shared between the gadget object and its timers.
struct Shared {
    core: RefCell<GadgetCore>,
    /// The armed timers by dial id: a handful at most (one pending dial),
    /// so a vector rather than a hash map.
    timers: RefCell<Vec<(u32, Timeout)>>,
    on_output: js_sys::Function,
}

impl Shared {
    /// Passes outputs to JS, after every borrow is released (a listener may
    /// call back into the gadget), and drops the timers of settled dials.
    fn deliver(&self, outputs: Vec<Output>) {
        if outputs.is_empty() {
            return;
        }
        for output in &outputs {
            if let Output::Settled { dial_id, .. } = output {
                // Dropping the handle clears the JS timeout.
                self.timers.borrow_mut().retain(|(id, _)| id != dial_id);
            }
        }
        // A throwing callback is the glue's fault; it is not allowed to
        // unwind through the core, so its error is dropped here.
        let _ = self.on_output.call1(&JsValue::NULL, &to_js(&outputs));
    }
}

/// The gadget core exported to JS (wrapped by the glue's `createGadget`).
#[wasm_bindgen]
pub struct Gadget {
    shared: Rc<Shared>,
}

/// Creates a gadget core; throws for a bad configuration. `on_output`
/// receives each batch of outputs as an array.
#[wasm_bindgen]
pub fn create_gadget(options: JsValue, on_output: js_sys::Function) -> Result<Gadget, JsValue> {
    let config =
        options_from_js(&options, "the gadget options", Code::InvalidOptions).and_then(|value| {
            GadgetConfig::from_value_in_frame(value.as_ref(), frame_url().as_deref())
        });
    match config {
        Ok(config) => Ok(Gadget {
            shared: Rc::new(Shared {
                core: RefCell::new(GadgetCore::new(config)),
                timers: RefCell::new(Vec::new()),
                on_output,
            }),
        }),
        Err(error) => Err(thrown(&error)),
    }
}

#[wasm_bindgen]
impl Gadget {
    /// Starts a dial: `{dialId, message, dial, timeoutMs, publish}`, or
    /// throws why not. The glue publishes `message` only when `publish` is
    /// true; otherwise it comes later as a `publish` output, or never.
    pub fn dial(&self, input: JsValue) -> Result<JsValue, JsValue> {
        let started = match number_from_js(&input) {
            Ok(Ok(text)) => self.shared.core.borrow_mut().start_dial(&text, now_ms()),
            Ok(Err(rejection)) => Err(self.shared.core.borrow().refuse_dial(rejection)),
            Err(error) => return Err(thrown(&error)),
        };
        let started = started.map_err(|error| thrown(&error))?;
        self.arm_timer(started.dial_id, started.timeout_ms);
        Ok(to_js(&started))
    }

    fn arm_timer(&self, dial_id: u32, timeout_ms: u32) {
        let weak: Weak<Shared> = Rc::downgrade(&self.shared);
        let timer = Timeout::new(timeout_ms, move || {
            if let Some(shared) = weak.upgrade() {
                // The handle is being consumed by this call; forget it first.
                let mut timers = shared.timers.borrow_mut();
                if let Some(at) = timers.iter().position(|(id, _)| *id == dial_id) {
                    timers.swap_remove(at).1.forget();
                }
                drop(timers);
                let outputs = shared.core.borrow_mut().timeout(dial_id);
                shared.deliver(outputs);
            }
        });
        let mut timers = self.shared.timers.borrow_mut();
        // Dial ids are never reused while armed; replacing keeps it one per id.
        timers.retain(|(id, _)| *id != dial_id);
        timers.push((dial_id, timer));
    }

    /// Takes one inbound message (object or JSON text) from the transport.
    pub fn receive(&self, input: JsValue) {
        self.handle(message_from_js(&input));
    }

    /// [`Gadget::receive`] of text staged by [`stage_text`].
    pub fn receive_staged(&self, len: usize, status: u32) {
        self.handle(parse_staged(
            len,
            status,
            "the message",
            message::parse_message_text,
        ));
    }

    fn handle(&self, parsed: Result<Message, Error>) {
        let outputs = self.shared.core.borrow_mut().handle(parsed, now_ms());
        self.shared.deliver(outputs);
    }

    /// Aborts a pending dial (its `AbortSignal` fired).
    pub fn abort(&self, dial_id: u32) {
        let outputs = self.shared.core.borrow_mut().abort(dial_id);
        self.shared.deliver(outputs);
    }

    /// The transport connected (`true`) or lost its connection (`false`):
    /// may hand out a held MakeCall as a `publish` output.
    pub fn connection(&self, connected: bool) {
        let outputs = self.shared.core.borrow_mut().connection(connected);
        self.shared.deliver(outputs);
    }

    /// The transport's subscription was refused: an `error` output, and the
    /// pending dial settles `SUBSCRIBE_REFUSED`.
    pub fn subscription_refused(&self, reason: &str) {
        let outputs = self.shared.core.borrow_mut().subscription_refused(reason);
        self.shared.deliver(outputs);
    }

    /// Settles a pending dial whose MakeCall could not be published.
    pub fn publish_failed(&self, dial_id: u32, reason: JsValue) {
        // The transport's error text is shown shortened: only its start is copied.
        let reason = reason
            .dyn_ref::<js_sys::JsString>()
            .map(|text| String::from(text.slice(0, gadget::MAX_REASON_CHARS as u32 * 2)))
            .unwrap_or_default();
        let outputs = self
            .shared
            .core
            .borrow_mut()
            .publish_failed(dial_id, &reason);
        self.shared.deliver(outputs);
    }

    /// Closes the gadget: a pending dial settles with `CLOSED`, timers are cleared.
    pub fn close(&self) {
        let outputs = self.shared.core.borrow_mut().close();
        self.shared.deliver(outputs);
        self.shared.timers.borrow_mut().clear();
    }

    /// Validates a number under the gadget's plan (`validateNumber`'s result).
    pub fn validate(&self, input: JsValue) -> Result<JsValue, JsValue> {
        validation_js(&input, |text, from_number| {
            let result = self.shared.core.borrow().validate(text);
            validation_value(&result, false, from_number.then_some(text))
        })
    }

    /// Whether a dial may start now: `{ok:true}` or `{ok:false, code,
    /// message, callId?}`.
    pub fn can_dial(&self) -> JsValue {
        to_js(&CanDial(&self.shared.core.borrow().can_dial(now_ms())))
    }

    /// Ends the tracking of a live call locally (`gadget.forgetCall`): its
    /// snapshot, or `null` when no live call has this id. Throws
    /// `INVALID_INPUT` for an id that is not a string; a string longer than
    /// any call id, or not well-formed UTF-16, is not copied and cannot be
    /// a tracked id (`null`).
    pub fn forget_call(&self, call_id: JsValue) -> Result<JsValue, JsValue> {
        let Some(text) = call_id.dyn_ref::<js_sys::JsString>() else {
            return Err(thrown(
                &Error::new(
                    Code::InvalidInput,
                    msg!(
                        "forgetCall needs the call id as a string, not ",
                        js_type(&call_id)
                    ),
                )
                .with_path("callId"),
            ));
        };
        // Every UTF-16 unit is at least one byte of UTF-8.
        if text.length() as usize > message::MAX_CALL_ID_BYTES || !text.is_valid_utf16() {
            return Ok(JsValue::NULL);
        }
        let id = String::from(text);
        let forgotten = self.shared.core.borrow_mut().forget_call(&id, now_ms());
        Ok(forgotten.map_or(JsValue::NULL, |snapshot| to_js(&snapshot)))
    }

    /// The tracked calls.
    pub fn calls(&self) -> JsValue {
        to_js(&self.shared.core.borrow().calls())
    }

    /// The last known agent, or `null`.
    pub fn agent(&self) -> JsValue {
        self.shared
            .core
            .borrow()
            .agent()
            .map_or(JsValue::NULL, to_js)
    }

    /// What a `register` hook is told: `{channel, source?, envelope, responseUrl?}`.
    pub fn registration(&self) -> JsValue {
        to_js(&self.shared.core.borrow().config().form.registration())
    }

    /// Takes the subscriber id a `register` hook answered (a non-empty string
    /// or a whole number); throws `NOT_REGISTERED` for anything else.
    pub fn set_subscriber_id(&self, id: JsValue) -> Result<(), JsValue> {
        let text = if let Some(text) = id.as_string() {
            Ok(Value::String(text.into()))
        } else if let Some(n) = id.as_f64() {
            make_call::number_text_from_f64(n).map(|digits| Value::Number(digits.into()))
        } else {
            Err(Error::new(Code::InvalidInput, msg!("a ", js_type(&id))))
        };
        let result = text.and_then(|value| self.shared.core.borrow_mut().set_subscriber_id(&value));
        result.map_err(|error| {
            thrown(&Error::new(
                Code::NotRegistered,
                msg!(
                    "the register hook must answer the subscriber id as a non-empty string or a whole number (",
                    error.message,
                    ")"
                ),
            ))
        })
    }

    /// The channel's documented agent-state request: `undefined` when the
    /// channel documents none (Finesse); throws `NOT_REGISTERED`.
    pub fn agent_state_request(&self) -> Result<JsValue, JsValue> {
        match self.shared.core.borrow().agent_state_request() {
            None => Ok(JsValue::UNDEFINED),
            Some(request) => answer(request),
        }
    }

    /// The number of armed dial timers (for leak tests).
    pub fn timer_count(&self) -> u32 {
        self.shared.timers.borrow().len() as u32
    }
}

/// The input limit in bytes ([`json::MAX_INPUT_BYTES`]), for the glue's
/// bounded walk of message objects.
#[wasm_bindgen]
pub fn max_input_bytes() -> usize {
    json::MAX_INPUT_BYTES
}

/// Bytes of wasm linear memory, for the memory tests and benchmarks.
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    let pages = core::arch::wasm32::memory_size::<0>();
    (pages as f64) * 65536.0
}
