//! Inert display text (issue 15): nothing a workspace sends can hide,
//! reorder or break the line of what a UI shows.
#![cfg(not(target_arch = "wasm32"))]

use makecall::display::{inert, DEFAULT_INERT_CHARS};

#[test]
fn controls_and_bidi_become_visible() {
    assert_eq!(
        inert("6085559000\u{202e}0009555806", 64),
        "6085559000[U+202E]0009555806"
    );
    assert_eq!(
        inert("a\u{0}b\r\nc\td\u{7f}", 64),
        "a\u{2400}b\u{240d}\u{240a}c\u{2409}d\u{2421}"
    );
    assert_eq!(
        inert("x\u{2028}y\u{2029}z\u{85}", 64),
        "x[U+2028]y[U+2029]z[U+0085]"
    );
    for (c, code) in [
        ('\u{61c}', "[U+061C]"),
        ('\u{200b}', "[U+200B]"),
        ('\u{200e}', "[U+200E]"),
        ('\u{200f}', "[U+200F]"),
        ('\u{202a}', "[U+202A]"),
        ('\u{2066}', "[U+2066]"),
        ('\u{2069}', "[U+2069]"),
        ('\u{2060}', "[U+2060]"),
        ('\u{feff}', "[U+FEFF]"),
        ('\u{ad}', "[U+00AD]"),
    ] {
        assert_eq!(inert(&c.to_string(), 8), code);
    }
}

#[test]
fn ordinary_text_is_unchanged() {
    for text in [
        "6085559000",
        "(608) 555-9000",
        "BUSY",
        "16931876",
        "علي",
        "日本",
        "+91 86885 53209",
        "",
    ] {
        assert_eq!(inert(text, DEFAULT_INERT_CHARS), text);
    }
}

#[test]
fn long_values_are_cut_with_an_ellipsis() {
    let long = "9".repeat(128);
    let shown = inert(&long, 64);
    assert_eq!(shown.chars().count(), 65);
    assert!(shown.ends_with('…'));
    assert_eq!(inert("abc", 3), "abc");
    assert_eq!(inert("abcd", 3), "abc…");
    assert_eq!(inert("abc", 0), "…");
    assert_eq!(inert("", 0), "");
    // Counted in characters of the original: a replaced control is one.
    assert_eq!(inert("\u{202e}\u{202e}\u{202e}", 2), "[U+202E][U+202E]…");
}
