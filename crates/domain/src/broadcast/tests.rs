use super::*;

fn parse(
    kind: &str,
    url: Option<&str>,
    id: Option<&str>,
) -> Result<Source, Vec<(String, &'static str)>> {
    let mut check = Checker::new();
    let input = SourceInput {
        kind: Some(kind.into()),
        url: url.map(Into::into),
        id: id.map(Into::into),
    };
    let out = input.parse(&mut check, "stream");
    match check.finish(()) {
        Ok(()) => out.ok_or_else(Vec::new),
        Err(e) => Err(e.0.into_iter().map(|f| (f.field, f.code)).collect()),
    }
}

#[test]
fn provider_addresses_reduce_to_their_ids() {
    for (kind, url, id) in [
        (
            "youtube",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3",
            "dQw4w9WgXcQ",
        ),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        (
            "youtube",
            "https://www.youtube.com/live/dQw4w9WgXcQ?si=x",
            "dQw4w9WgXcQ",
        ),
        ("youtube", "dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("vimeo", "https://vimeo.com/76979871", "76979871"),
        (
            "vimeo",
            "https://player.vimeo.com/video/76979871",
            "76979871",
        ),
        (
            "bilibili",
            "https://www.bilibili.com/video/BV1GJ411x7h7/",
            "BV1GJ411x7h7",
        ),
        (
            "tencent_video",
            "https://v.qq.com/x/page/x0040h2rv3k.html",
            "x0040h2rv3k",
        ),
        (
            "tencent_video",
            "https://v.qq.com/x/cover/mzc00200abc/x0040h2rv3k.html",
            "x0040h2rv3k",
        ),
    ] {
        let source = parse(kind, Some(url), None).unwrap_or_else(|e| panic!("{url}: {e:?}"));
        assert_eq!(source.value, id, "{url}");
        assert_eq!(source.id(), Some(id));
    }
}

#[test]
fn a_wrong_address_or_id_names_the_field() {
    for (kind, url, id, field, code) in [
        (
            "youtube",
            Some("https://example.com/watch?v=dQw4w9WgXcQ"),
            None,
            "stream.url",
            "invalid_stream_source",
        ),
        (
            "youtube",
            None,
            Some("short"),
            "stream.id",
            "invalid_stream_source",
        ),
        ("vimeo", None, None, "stream.id", "required"),
        (
            "hls",
            Some("ftp://x.example/a.m3u8"),
            None,
            "stream.url",
            "invalid_url",
        ),
        ("hls", None, Some("abc"), "stream.url", "required"),
        (
            "peertube",
            Some("https://tube.example/about"),
            None,
            "stream.url",
            "invalid_stream_source",
        ),
        (
            "zoom",
            Some("https://zoom.us/j/1"),
            None,
            "stream.type",
            "unknown_stream_type",
        ),
        (
            "",
            Some("https://zoom.us/j/1"),
            None,
            "stream.type",
            "required",
        ),
    ] {
        let errors = parse(kind, url, id).expect_err(kind);
        assert_eq!(
            errors,
            vec![(field.to_string(), code)],
            "{kind} {url:?} {id:?}"
        );
    }
}

#[test]
fn each_type_embeds_from_its_own_host() {
    let player = |kind: &str, url: &str| parse(kind, Some(url), None).map(|s| s.player());
    assert_eq!(
        player("youtube", "https://youtu.be/dQw4w9WgXcQ"),
        Ok(Player::Frame {
            src: "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&rel=0".into(),
            host: "https://www.youtube-nocookie.com".into()
        })
    );
    assert_eq!(
        player(
            "peertube",
            "https://tube.example:8443/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"
        ),
        Ok(Player::Frame {
            src:
                "https://tube.example:8443/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?api=1"
                    .into(),
            host: "https://tube.example:8443".into()
        })
    );
    assert_eq!(
        player("owncast", "https://live.example.org/"),
        Ok(Player::Frame {
            src: "https://live.example.org/embed/video".into(),
            host: "https://live.example.org".into()
        })
    );
    assert_eq!(
        player("link", "https://zoom.us/j/123"),
        Ok(Player::Link {
            url: "https://zoom.us/j/123".into()
        })
    );
}

#[test]
fn alternatives_are_one_per_language_and_never_links() {
    let mut check = Checker::new();
    let input: StreamInput = serde_json::from_value(serde_json::json!({
        "type": "hls", "url": "https://cdn.example/zh/master.m3u8",
        "alternatives": [
            {"language": "de", "type": "hls", "url": "https://cdn.example/de/master.m3u8"},
            {"language": "de", "type": "youtube", "id": "dQw4w9WgXcQ"},
            {"language": "fr", "type": "link", "url": "https://zoom.us/j/1"},
            {"language": "xx", "type": "hls", "url": "https://cdn.example/x.m3u8"}
        ]
    }))
    .unwrap_or_default();
    input.parse(&mut check, "stream", true);
    let fields: Vec<_> = check
        .finish(())
        .expect_err("invalid")
        .0
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("stream.alternatives.1.language".to_string(), "duplicate"),
            ("stream.alternatives.2.type".to_string(), "not_allowed"),
            (
                "stream.alternatives.3.language".to_string(),
                "unknown_language"
            ),
        ]
    );
}

#[test]
fn a_page_allows_exactly_the_hosts_its_streams_use() {
    let stream = |kind: &str, url: &str| Stream {
        source: parse(kind, Some(url), None).expect("valid"),
        alternatives: vec![],
    };
    let streams = [
        stream("youtube", "https://youtu.be/dQw4w9WgXcQ"),
        stream("hls", "https://cdn.example:8443/live/master.m3u8"),
        stream("youtube", "https://www.youtube.com/watch?v=aaaaaaaaaaa"),
        stream("link", "https://zoom.us/j/1"),
    ];
    let page = PageSources::of(&streams);
    assert_eq!(
        page.frames,
        vec!["https://www.youtube-nocookie.com".to_string()]
    );
    assert_eq!(page.media, vec!["https://cdn.example:8443".to_string()]);
    assert!(PageSources::of(&[]).is_empty());
}

#[test]
fn iframe_hosts_are_the_operators_list() {
    let allowed = vec![
        "player.example.com".to_string(),
        "*.video.example".to_string(),
    ];
    assert!(embed_host_allowed(
        "https://player.example.com/e/1",
        &allowed
    ));
    assert!(embed_host_allowed("https://a.video.example/e/1", &allowed));
    assert!(!embed_host_allowed(
        "https://video.example.evil.test/e/1",
        &allowed
    ));
    assert!(!embed_host_allowed(
        "https://player.example.com.evil.test/",
        &allowed
    ));
    assert!(!embed_host_allowed("https://other.example/", &[]));
}

#[test]
fn captions_are_read_by_a_webvtt_parser_and_errors_name_the_line() {
    let good = "WEBVTT\n\n00:00.000 --> 00:04.000\nGuten Tag\n\n00:04.000 --> 00:09.500\nWillkommen in Beijing\n";
    assert_eq!(check_captions(good), Ok(2));
    let bad = "WEBVTT\n\n00:00.000 --> 00:04.000\nGuten Tag\n\n00:04.000 -> 00:09.500\nkaputt\n";
    let err = check_captions(bad).expect_err("a broken arrow");
    assert_eq!(
        (err.code, err.limit),
        ("invalid_webvtt", Some(6)),
        "the line with the broken arrow"
    );
    assert_eq!(
        check_captions("not captions").map_err(|e| e.code),
        Err("invalid_webvtt")
    );
    let backwards = "WEBVTT\n\n00:05.000 --> 00:04.000\nzurück\n";
    assert_eq!(
        check_captions(backwards).map_err(|e| (e.code, e.limit)),
        Err(("invalid_webvtt", Some(3)))
    );
}

#[test]
fn the_chapters_file_is_webvtt() {
    let agenda = [
        chapters::AgendaItem {
            session_id: 1,
            start: 100,
            end: 200,
            title: "Begrüßung --> Start".into(),
        },
        chapters::AgendaItem {
            session_id: 2,
            start: 200,
            end: 900,
            title: "Zwei Zonen".into(),
        },
    ];
    let vtt = chapters::to_vtt(&chapters::chapters(&agenda, 100, None, "Beginn"));
    assert_eq!(check_captions(&vtt), Ok(2));
}
