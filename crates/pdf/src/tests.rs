use super::*;

const TEMPLATE: &str = r#"#let data = json("data.json")
#set page(paper: "a4")
#set text(font: ("Noto Sans", "Noto Sans CJK SC"))
= #data.title
#for line in data.lines [#line \ ]
"#;

fn text_of(pdf: &[u8]) -> String {
    String::from_utf8_lossy(pdf).into_owned()
}

#[test]
fn a_document_with_latin_and_chinese_text_is_a_pdf() {
    let data = serde_json::json!({"title": "Zwei Zonen · 两区", "lines": ["北京市投资促进服务中心", "Größe"]});
    let out = render(TEMPLATE, &data).expect("renders");
    assert!(out.pdf.starts_with(b"%PDF-"));
    assert_eq!(out.pages, 1);
    assert!(out.missing.is_empty());
    // Both fonts are embedded (subset names carry the family's name).
    let raw = text_of(&out.pdf);
    assert!(raw.contains("NotoSans"), "the Latin font is embedded");
    assert!(raw.contains("NotoSansCJK"), "the Chinese font is embedded");
}

#[test]
fn markup_characters_in_the_data_stay_text() {
    let data = serde_json::json!({"title": "#set page(paper: \"a5\") ] $x$", "lines": ["#panic(\"no\")", "]", "$"]});
    let out = render(TEMPLATE, &data).expect("data are never markup");
    assert_eq!(out.pages, 1);
}

#[test]
fn a_character_no_font_has_is_replaced_visibly_and_named() {
    // U+2A6A5 (an extension-B ideograph) and an emoji are outside both fonts.
    let data = serde_json::json!({"title": "𪚥 Team 🎉", "lines": []});
    let out = render(TEMPLATE, &data).expect("renders");
    assert_eq!(out.missing, vec!['𪚥', '🎉']);
    assert!(covers(REPLACEMENT), "the stand-in itself can be shown");
    assert_eq!(missing_chars("Beijing 北京 äöü ß é"), Vec::<char>::new());
}

#[test]
fn a_template_defect_is_an_error_not_a_blank_page() {
    let err = render("#let x = (", &serde_json::json!({})).expect_err("does not compile");
    assert!(matches!(err, PdfError::Template(_)));
    let err = render(
        "#set text(font: \"Comic Sans MS\")\nHallo",
        &serde_json::json!({}),
    )
    .expect_err("an unknown family is refused");
    assert!(
        err.to_string().contains("Comic Sans MS") || err.to_string().contains("font"),
        "{err}"
    );
}
