//! Inert text for a UI: what the workspace sends (numbers, ids, causes) made
//! safe to show as it is, without letting it rearrange or hide itself.
//!
//! A workspace field is shown honestly when every character the viewer
//! cannot see, or that changes how the characters around it are drawn, is
//! replaced by a visible stand-in:
//! - C0 controls (NUL, tab, CR, LF, ...) and DEL become their Control
//!   Pictures (`␀`, `␉`, `␍`, `␊`, `␡`: U+2400 block);
//! - C1 controls, the line and paragraph separators (U+2028, U+2029), the
//!   bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069)
//!   and the invisible format characters (U+200B..U+200D, U+2060..U+2064,
//!   U+FEFF, U+00AD) become `[U+XXXX]`.
//!
//! So `6085559000` followed by U+202E and `0009555806` is shown as
//! `6085559000[U+202E]0009555806`, not as a reversed look-alike; and
//! nothing can break a line or hide a character. The result is cut to a
//! number of characters with `…` at the end, so an unbounded value cannot
//! push a layout around.

/// The default number of characters [`inert`] keeps.
pub const DEFAULT_INERT_CHARS: usize = 64;

/// Whether `c` is drawn as `[U+XXXX]` by [`inert`].
fn shown_as_code(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{ad}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Appends `[U+XXXX]` (at least four upper-case hex digits) for `c`.
fn push_code(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("[U+");
    let value = u32::from(c);
    let mut started = false;
    for shift in (0..6).rev() {
        let digit = (value >> (shift * 4)) & 0xF;
        if digit != 0 || shift < 4 || started {
            started = true;
            let index = usize::try_from(digit).unwrap_or(0);
            out.push(char::from(*HEX.get(index).unwrap_or(&b'0')));
        }
    }
    out.push(']');
}

/// `text` made inert for display (see the module docs), cut to at most
/// `max_chars` characters of the original, with `…` appended when cut.
/// `max_chars` of 0 gives `…` for any non-empty text.
pub fn inert(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(4)) + 3);
    for (count, c) in text.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            break;
        }
        match c {
            '\u{0}'..='\u{1f}' => {
                // Control Pictures: U+2400 + the control's code.
                let picture = char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}');
                out.push(picture);
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if shown_as_code(c) => push_code(&mut out, c),
            c => out.push(c),
        }
    }
    out
}
