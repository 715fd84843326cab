//! What the notebook forms of arrays, bags and frames share: text made safe to stand
//! inside an HTML element, escaped the way pandas' `to_html` escapes cells (`&`, `<`,
//! `>`; quotes stay, as they are harmless outside attributes).

/// `a<b & c` → `a&lt;b &amp; c`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
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
    }
}
