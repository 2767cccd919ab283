//! Messages in the user's words: serde's type errors ("invalid type: floating point `2.5`,
//! expected i64", "expected struct RawInit") rewritten with human type words, and TOML values
//! shown briefly.

use super::checks::show;

/// Rust and serde type names → what a user calls them.
const WORDS: &[(&str, &str)] = &[
    ("i64", "a whole number"),
    ("u64", "a whole number ≥ 0"),
    ("usize", "a whole number ≥ 0"),
    ("u32", "a whole number ≥ 0"),
    ("u8", "a whole number ≥ 0"),
    ("f64", "a number"),
    ("f32", "a number"),
    ("a sequence", "a list"),
    ("a boolean", "true or false"),
    ("a string", "text in quotes"),
    ("a map", "a table"),
    ("tuple struct", "a table"),
    ("untagged enum KeyOrKeys", "a key or a list of keys"),
];

/// serde's message with human type words: `expected i64` → `expected a whole number`,
/// `struct RawInit with 6 elements` → `a table`, `floating point `2.5`` → `the number 2.5`.
pub fn humanise(msg: &str) -> String {
    let mut out = msg.replace("invalid type: ", "got ");
    out = out.replace("floating point `", "the number `").replace("integer `", "the whole number `");
    // "struct RawX with N elements" / "struct RawX" → "a table"
    while let Some(i) = out.find("struct Raw") {
        let rest = &out[i..];
        let mut end = rest.find([',', ')', ';']).unwrap_or(rest.len());
        if let Some(w) = rest[..end].find(" with ") {
            end = end.max(w);
        } else if let Some(sp) = rest["struct ".len()..].find(' ') {
            end = end.min("struct ".len() + sp);
        }
        out.replace_range(i..i + end, "a table");
    }
    for (from, to) in WORDS {
        out = replace_word(&out, &format!("expected {from}"), &format!("expected {to}"));
    }
    out = out.replace("enum ", "one of ");
    out.replace('`', "")
}

/// Replaces `from` where it ends at a word boundary.
fn replace_word(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(from) {
        let after = &rest[i + from.len()..];
        let boundary = after.chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        out.push_str(&rest[..i]);
        out.push_str(if boundary { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A TOML value as a user would write it, numbers brief ([`show`]), long lists cut.
pub fn value(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => show(*f),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::String(s) => format!("\"{}\"", s.chars().take(60).collect::<String>()),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(a) => {
            let items: Vec<String> = a.iter().take(6).map(value).collect();
            format!("[{}{}]", items.join(", "), if a.len() > 6 { ", …" } else { "" })
        }
        toml::Value::Table(t) => format!("a table with keys {}", t.keys().cloned().collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_in_plain_words() {
        assert_eq!(
            humanise("invalid type: floating point `2.5`, expected i64"),
            "got the number 2.5, expected a whole number"
        );
        assert_eq!(
            humanise("invalid type: integer `5`, expected struct RawInit"),
            "got the whole number 5, expected a table"
        );
        assert_eq!(
            humanise("invalid length 2, expected struct RawInit with 6 elements"),
            "invalid length 2, expected a table"
        );
        assert_eq!(humanise("expected untagged enum KeyOrKeys"), "expected a key or a list of keys");
        assert_eq!(humanise("expected f64 or i64x"), "expected a number or i64x");
        assert_eq!(value(&toml::Value::Float(1e-9)), "1e-9");
        assert_eq!(value(&toml::Value::Array(vec![toml::Value::Float(0.5); 8])), "[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, …]");
    }
}
