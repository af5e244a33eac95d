//! The error codes are one list: `makecall::error::Code`. The TypeScript
//! declarations must name exactly those codes (no code TypeScript users
//! cannot match, no declared code the package never throws), and the
//! README's error tables must explain every one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::collections::BTreeSet;

use makecall::error::Code;

/// The string literals of the type alias `name` in `source`: the text from
/// `export type <name> =` to the next `;`, and every union member it names
/// that is itself an alias in `source`, followed.
fn union_literals(source: &str, name: &str) -> BTreeSet<String> {
    let head = format!("export type {name} =");
    let start = source
        .find(&head)
        .unwrap_or_else(|| panic!("no `{head}` in the declarations"))
        + head.len();
    let body = &source[start..];
    let body = &body[..body.find(';').expect("an alias ends with ';'")];
    let mut codes = BTreeSet::new();
    for member in body.split('|').map(str::trim).filter(|m| !m.is_empty()) {
        if let Some(code) = member.strip_prefix('"').and_then(|m| m.strip_suffix('"')) {
            codes.insert(code.to_string());
        } else {
            codes.extend(union_literals(source, member));
        }
    }
    codes
}

fn rust_codes() -> BTreeSet<String> {
    Code::ALL
        .iter()
        .map(|code| code.as_str().to_string())
        .collect()
}

#[test]
fn the_declared_error_code_union_is_exactly_the_rust_enum() {
    let declarations =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/js/index.d.ts")).unwrap();
    let declared = union_literals(&declarations, "ErrorCode");
    let rust = rust_codes();
    let undeclared: Vec<_> = rust.difference(&declared).collect();
    let unknown: Vec<_> = declared.difference(&rust).collect();
    assert!(
        undeclared.is_empty(),
        "codes of the Rust enum missing from ErrorCode in js/index.d.ts: {undeclared:?}"
    );
    assert!(
        unknown.is_empty(),
        "codes declared in js/index.d.ts that the Rust enum does not have: {unknown:?}"
    );
}

#[test]
fn the_readme_error_tables_explain_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    // A table row whose first cell is the code: "| `CODE` |".
    let explained: BTreeSet<String> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once("` |").map(|(code, _)| code.to_string()))
        .collect();
    let missing: Vec<_> = rust_codes()
        .into_iter()
        .filter(|code| !explained.contains(code))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a README table row: {missing:?}"
    );
}

#[test]
fn codes_are_distinct_upper_snake_words() {
    let all: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(rust_codes().len(), all.len(), "a code is listed twice");
    for code in all {
        assert!(
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
            "{code}"
        );
    }
}
