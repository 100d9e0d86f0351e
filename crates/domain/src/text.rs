//! Text that crosses a trust boundary: Markdown made safe to show, and cells made safe
//! to open in a spreadsheet.

use crate::directory::Kind;

/// Renders Markdown to HTML and sanitises it: no scripts, no event handlers, no
/// `javascript:` links; links get `rel="noopener noreferrer nofollow"`.
///
/// Emphasis follows the CJK-friendly extension of CommonMark: plain CommonMark does not
/// close `**“两区”**政策` (the closing `**` sits between CJK punctuation and a CJK letter),
/// so a Chinese organiser's bold text would show its asterisks.
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.cjk_friendly_emphasis = true;
    let html = comrak::markdown_to_html(markdown, &options);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// Replaces the citations `[[policy:slug]]` and `[[park:slug]]` in sanitised HTML with
/// what `link` makes of (kind, slug); a citation it does not know stays as written.
pub fn cite_links(html: &str, link: impl Fn(Kind, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let cited = after.find("]]").and_then(|end| {
            let (kind, slug) = Kind::parse_key(&after[..end])?;
            let valid = matches!(kind, Kind::Policy | Kind::Park)
                && !slug.is_empty()
                && slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return None;
            }
            Some((link(kind, slug)?, end))
        });
        match cited {
            Some((anchor, end)) => {
                out.push_str(&anchor);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("[[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Markdown as plain text (for search and snippets): the words without the markup.
pub fn plain_text(markdown: &str) -> String {
    if !markdown.contains(['*', '_', '#', '[', '`', '>', '<', '|', '~']) {
        return markdown.to_string();
    }
    let html = comrak::markdown_to_html(markdown, &comrak::Options::default());
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes a CSV cell safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula, so it gets a leading `'`
/// (OWASP's advice for CSV injection).
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn citations_become_links_and_unknown_ones_stay() {
        let html = markdown_to_safe_html(
            "See [[policy:tax-15]] and [[park:x]] and [[evil:<b>]] [[policy:a",
        );
        let out = cite_links(&html, |kind, slug| {
            (kind == Kind::Policy).then(|| format!("<a href=\"/policies/{slug}\">T</a>"))
        });
        assert!(out.contains("<a href=\"/policies/tax-15\">T</a>"), "{out}");
        assert!(out.contains("[[park:x]]"));
        assert!(!out.contains("<b>"));
        assert!(out.contains("[[policy:a"));
    }

    #[test]
    fn plain_text_keeps_the_words_only() {
        assert_eq!(
            plain_text("## Zuschuss\n\n**Bis zu** 50 % der [Miete](https://x.cn) & <b>mehr</b>"),
            "Zuschuss Bis zu 50 % der Miete & mehr"
        );
        assert_eq!(plain_text("Plain words"), "Plain words");
    }

    #[test]
    fn markdown_keeps_formatting_and_drops_scripts() {
        let html = markdown_to_safe_html(
            "**Fengtai** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>Fengtai</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn emphasis_works_next_to_chinese_punctuation() {
        let html = markdown_to_safe_html("北京**“两区”**政策，聚焦**智能制造**：对外开放。");
        assert!(html.contains("<strong>“两区”</strong>政策"), "{html}");
        assert!(html.contains("<strong>智能制造</strong>"), "{html}");
        assert!(!html.contains("**"), "{html}");
        let html = markdown_to_safe_html("die Politik der **„Zwei Zonen“** vor");
        assert!(html.contains("<strong>„Zwei Zonen“</strong>"), "{html}");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("Muster GmbH"), "Muster GmbH");
    }

    proptest! {
        #[test]
        fn no_markdown_yields_a_script_or_handler(s in ".{0,200}") {
            let html = markdown_to_safe_html(&format!("{s}<script>x</script><a href=\"javascript:y\" onclick=\"z\">l</a>"));
            prop_assert!(!html.to_lowercase().contains("<script"));
            // As escaped text these may appear; inside a tag they must not. Every literal
            // `<` in sanitised output starts a tag, since text has it escaped.
            for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or("")) {
                prop_assert!(!tag.contains("onclick"), "{tag}");
                prop_assert!(!tag.contains("javascript:"), "{tag}");
            }
        }

        #[test]
        fn safe_cells_never_start_a_formula(s in ".{0,40}") {
            let safe = spreadsheet_safe(&s);
            prop_assert!(!matches!(safe.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')));
        }
    }
}
