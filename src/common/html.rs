//! What the notebook forms of arrays, bags and frames share: text made safe to stand
//! inside an HTML element, escaped the way pandas' `to_html` escapes cells (`&`, `<`,
//! `>`; quotes stay, as they are harmless outside attributes).

/// `a<b & c` → `a&lt;b &amp; c`.
pub fn escape(s: &str) -> String {
    escape_chars(s, false)
}

/// Also the quotes: text safe inside an attribute value (`src="…"`) as well.
pub fn escape_attr(s: &str) -> String {
    escape_chars(s, true)
}

fn escape_chars(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_quotes() {
        assert_eq!(escape("b<\"&>"), "b&lt;\"&amp;&gt;");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape_attr("a\"b'<"), "a&quot;b&#39;&lt;");
    }
}
