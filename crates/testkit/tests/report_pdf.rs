//! The report's PDF on both databases, read back by independent tools (Debian's
//! poppler-utils and qpdf, which the README's test command installs): in each language it
//! carries the title, the agency, the figures and, in Chinese, Chinese text; its fonts are
//! embedded; qpdf finds no defect; it names no company and hides groups under five.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_domain::Lang;
use roadshow_i18n::t as say;
use roadshow_testkit::{Db, TestApp};
use serde_json::Value;
use std::process::Command;

const REPORT: &str = "/api/v1/events/two-zones-germany/report";

/// Runs a tool of poppler-utils or qpdf on `pdf`; its output and whether it succeeded.
fn tool(program: &str, args: &[&str], pdf: &[u8]) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    let p = path.to_string_lossy().into_owned();
    all.push(&p);
    if program == "pdftotext" {
        all.push("-");
    }
    let out = Command::new(program)
        .args(&all)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed (apt-get install poppler-utils qpdf): {e}")
        });
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.success())
}

/// pdftotext's text with runs of white space made single (a table's cells are apart).
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn the_pdf_reads_in_four_languages_and_hides_small_groups(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let json = t.get_as(REPORT, &organiser).await.json();
    let registered = json["headline"]["registered"].as_u64().unwrap();
    assert!(registered >= 5, "the demo has more than a small group");
    let companies: Vec<String> = json["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!companies.is_empty());
    for lang in Lang::ALL {
        let r = t
            .get_as(&format!("{REPORT}.pdf?lang={}", lang.code()), &organiser)
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.header("content-type"), "application/pdf");
        assert!(r.bytes.starts_with(b"%PDF-"));
        let (check, clean) = tool("qpdf", &["--check"], &r.bytes);
        assert!(clean, "qpdf --check ({lang:?}): {check}");
        let (fonts, _) = tool("pdffonts", &[], &r.bytes);
        let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!font_lines.is_empty(), "{fonts}");
        for line in &font_lines {
            // name, type (may hold spaces), encoding, emb, sub, uni, object, generation:
            // the fifth column from the end says whether the font is embedded.
            let columns: Vec<&str> = line.split_whitespace().collect();
            let embedded = columns.len().checked_sub(5).map(|i| columns[i]);
            assert_eq!(
                embedded,
                Some("yes"),
                "a font not embedded ({lang:?}): {line}"
            );
        }
        let (raw, ok) = tool("pdftotext", &["-layout", "-enc", "UTF-8"], &r.bytes);
        assert!(ok, "{raw}");
        let text = squeezed(&raw);
        assert!(
            text.contains(&say(lang, "report-title")),
            "{lang:?}: {text}"
        );
        assert!(text.contains(&say(lang, "report-by-country")), "{lang:?}");
        assert!(
            text.contains(event.title.get(lang)),
            "the event's title ({lang:?}): {text}"
        );
        // The headline figures open with the registrations.
        let figure = format!("{} {registered} ", say(lang, "report-headline"));
        assert!(
            text.contains(&figure),
            "the headline's registrations ({lang:?}): {text}"
        );
        assert!(
            !text.contains('\u{FFFD}'),
            "a character the fonts lack ({lang:?})"
        );
        // Counts only: no company of the per-company list is named.
        for name in &companies {
            assert!(
                !text.contains(name.as_str()),
                "{name} named in the PDF ({lang:?})"
            );
        }
        // A country with fewer than five registrations is "< 5" beside its name.
        for g in json["registrations"]["by_country"].as_array().unwrap() {
            let count = g["count"].as_u64().unwrap();
            let label = roadshow_domain::countries::COUNTRIES
                .iter()
                .find(|c| c.code == g["key"].as_str().unwrap())
                .map(|c| match lang {
                    Lang::De => c.de,
                    Lang::En => c.en,
                    Lang::Fr => c.fr,
                    Lang::Zh => c.zh,
                })
                .unwrap();
            let line = raw
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("{label} not in the PDF ({lang:?}): {raw}"));
            // (pdftotext may not see the narrow space in "< 5")
            let shown = squeezed(line.trim_start().trim_start_matches(label)).replace(' ', "");
            if (1..5).contains(&count) {
                assert_eq!(shown, "<5", "{label} ({lang:?})");
            } else {
                assert_eq!(shown, count.to_string(), "{label} ({lang:?})");
            }
        }
        if lang == Lang::Zh {
            assert!(text.contains("德国"), "country names in Chinese");
            assert!(text.contains("北京"), "the agency's name in Chinese");
        }
    }
}

async fn the_pdf_is_for_staff_and_asks_a_known_language(db: Db) {
    let t = TestApp::with_demo(db).await;
    let moderator = t.token("moderator@roadshow.example").await;
    assert_eq!(
        t.get_as(&format!("{REPORT}.pdf"), &moderator)
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(t.get(&format!("{REPORT}.pdf")).await.status.as_u16(), 401);
    let organiser = t.token("organiser@roadshow.example").await;
    for bad in ["", "xx", "de-DE"] {
        let r = t
            .get_as(&format!("{REPORT}.pdf?lang={bad}"), &organiser)
            .await;
        assert_eq!(r.status.as_u16(), 422, "{bad}: {}", r.body);
        let problem: Value = r.json();
        assert_eq!(problem["errors"][0]["field"], "lang", "{problem}");
    }
    // An official's PDF says it holds their department's questions and meetings only.
    let official = t.token("official@roadshow.example").await;
    let r = t.get_as(&format!("{REPORT}.pdf?lang=en"), &official).await;
    assert_eq!(r.status.as_u16(), 200);
    let (raw, _) = tool("pdftotext", &["-enc", "UTF-8"], &r.bytes);
    assert!(squeezed(&raw).contains(&squeezed(&say(Lang::En, "report-own-department"))));
}

/// Every text of the four catalogues can be shown by the embedded fonts (a new Chinese
/// character in the catalogue needs `scripts/make-fonts` run again).
#[test]
fn the_fonts_show_every_catalogue_text() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales");
    for lang in Lang::ALL {
        let text = std::fs::read_to_string(dir.join(format!("{}.ftl", lang.code()))).unwrap();
        assert_eq!(
            roadshow_pdf::missing_chars(&text),
            Vec::<char>::new(),
            "{lang:?}"
        );
    }
}

roadshow_testkit::on_both_databases!(
    the_pdf_reads_in_four_languages_and_hides_small_groups,
    the_pdf_is_for_staff_and_asks_a_known_language,
);
