//! Property tests: arbitrary bytes and arbitrary front matter go through loading,
//! Markdown rendering, site rendering and table writing without a panic. Errors are
//! fine; crashes are not.

use std::path::Path;

use folio_generator::config::Config;
use folio_generator::content::parse_document_lenient;
use folio_generator::markdown::{self, LinkTargets};
use folio_generator::referential::Referential;
use folio_generator::site::Site;
use folio_generator::theme::Theme;
use folio_generator::{fix, table, text};
use proptest::prelude::*;

fn targets() -> LinkTargets {
    let mut t = LinkTargets {
        base_path: "/portfolio/".into(),
        ..Default::default()
    };
    t.pages
        .insert("content/parcours.md".into(), "parcours/".into());
    t.assets.insert("documents/a.pdf".into());
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let r = Referential::bts_sio_bloc1();
        let _ = text::decode(&bytes);
        let _ = fix::repair_bytes(&bytes, "x.md".into());
        for path in ["content/realisations/x.md", "content/x.md", "content/index.md"] {
            if let Ok((doc, _)) = parse_document_lenient(&bytes, Path::new(path), r) {
                let _ = markdown::render(&doc.body, &doc.source, doc.body_line, &targets(), &Default::default());
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = text::repair_mojibake(&s);
        let _ = text::detect_mojibake(&s);
        let _ = markdown::render(&s, Path::new("content/x.md"), 1, &targets(), &Default::default());
        let _ = folio_generator::slug::slugify(&s);
        let _ = folio_generator::slug::slugify_path(&s);
        let _ = folio_generator::date::parse(&s);
        let _ = Referential::bts_sio_bloc1().resolve_code(&s);
        let _ = Referential::bts_sio_bloc1().resolve_context(&s);
    }
}

/// Keys students write, right and wrong.
const KEYS: &[&str] = &[
    "title",
    "titre",
    "titel",
    "context",
    "contexte",
    "start",
    "début",
    "debut",
    "end",
    "fin",
    "competences",
    "compétences",
    "competance",
    "documents",
    "technologies",
    "technos",
    "summary",
    "résumé",
    "contribution",
    "draft",
    "brouillon",
    "weight",
    "slug",
    "tags",
    "",
    "a:b",
    "ü",
];

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[A-Za-zÀ-ÿ0-9 ,.:#'\"/\\\\-]{0,30}",
        Just("formation".to_owned()),
        Just("stage-2".to_owned()),
        Just("12/09/2024".to_owned()),
        Just("2024-13-45".to_owned()),
        Just("B1.1".to_owned()),
        Just("B1.9.9".to_owned()),
        Just("true".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("~".to_owned()),
        Just("📄 Ã©".to_owned()),
    ];
    prop_oneof![
        leaf.clone(),
        proptest::collection::vec(leaf.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        (leaf.clone(), leaf).prop_map(|(a, b)| format!("{{ title: {a}, file: {b} }}")),
    ]
}

fn front_matter() -> impl Strategy<Value = (bool, String)> {
    (any::<bool>(), proptest::collection::vec((proptest::sample::select(KEYS), value()), 0..10)).prop_map(|(yaml, fields)| {
        let mut s = String::from(if yaml { "---\n" } else { "+++\n" });
        for (k, v) in fields {
            if yaml {
                s.push_str(&format!("{k}: {v}\n"));
            } else {
                s.push_str(&format!("{k} = {v}\n"));
            }
        }
        s.push_str(if yaml { "---\n" } else { "+++\n" });
        s.push_str("## Titre\n\n[lien](../parcours.md) ![img](/documents/a.pdf)\n\n```bash\necho ok\n```\n");
        (yaml, s)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_front_matter_through_the_whole_pipeline(docs in proptest::collection::vec(front_matter(), 1..5)) {
        let r = Referential::bts_sio_bloc1();
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://x.github.io/p/\"\n[candidate]\nname = \"N\"\noption = \"SLAM\"\nsession = 2026\n",
            Path::new("portfolio.toml"),
        )
        .unwrap();
        let mut loaded = Vec::new();
        for (i, (_, text)) in docs.iter().enumerate() {
            // Partly loaded documents (`folio check`) render and fill the table too.
            if let Ok((d, _)) = parse_document_lenient(text.as_bytes(), Path::new(&format!("content/realisations/r{i}.md")), r) {
                loaded.push(d);
            }
        }
        let site = Site::new(Path::new("."), config, r, loaded, Vec::new());
        let _ = table::write(&site);
        let dir = tempfile::tempdir().unwrap();
        let (theme, _) = Theme::load(dir.path(), &site.config).unwrap();
        let tera = theme.tera(&site.config.base_path).unwrap();
        let _ = folio_generator::render::render_site(&site, &theme, &tera);
    }
}
