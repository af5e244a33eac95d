//! stub
use crate::dialplan::{Plan, Rejection};
use crate::error::Error;
use crate::json::Value;
/// stub
pub struct MakeCallOptions { /// p
 pub plan: Plan }
impl MakeCallOptions { /// s
 pub fn from_value(v: Option<&Value>) -> Result<Self, Error> { let _ = v; Ok(MakeCallOptions{plan: Plan::default()}) } }
/// s
pub enum BuildError { /// s
 Invalid(Rejection) }
/// s
pub fn number_text_from_f64(n: f64) -> Result<String, Error> { Ok(format!("{n}")) }
/// s
pub fn build_make_call(n: &str, o: &MakeCallOptions) -> Result<String, BuildError> { let _ = o; Ok(n.to_string()) }
