//! folio's HTML reader against lol_html, a tokenizer that follows the HTML standard
//! (and that folio used before): on generated markup full of the cases that trip a
//! reader up (comments, raw text elements, quotes, `>` in values, tags cut off by the
//! end of the page, repeated attributes, upper case), both find the same links, ids
//! and text.

use std::cell::RefCell;

use folio_generator::html::{self, PageScan, decode_entities};
use lol_html::{HtmlRewriter, Settings, element};
use proptest::prelude::*;

/// The links and ids lol_html finds (what folio's scan did with it).
fn reference_scan(page: &str) -> PageScan {
    let found = RefCell::new(PageScan::default());
    let settings =
        Settings::new().append_element_content_handler(element!("[href], [src], [id]", |el| {
            let mut f = found.borrow_mut();
            for attr in ["href", "src"] {
                if let Some(v) = el.get_attribute(attr) {
                    f.links.push(decode_entities(&v));
                }
            }
            if let Some(id) = el.get_attribute("id") {
                f.ids.insert(decode_entities(&id));
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    found.into_inner()
}

/// The text lol_html sees outside raw text elements, in the same shape as `main_text`.
fn reference_text(page: &str) -> String {
    let text = RefCell::new(String::new());
    let settings = Settings::new().append_document_content_handler(lol_html::doc_text!(|t| {
        if t.text_type() == lol_html::html_content::TextType::Data {
            text.borrow_mut().push_str(t.as_str());
            if t.last_in_text_node() {
                text.borrow_mut().push(' ');
            }
        }
        Ok(())
    }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    decode_entities(&text.into_inner())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const PIECES: &[&str] = &[
    "<a href=\"/a/\">",
    "<A HREF='/b?x=1&amp;y=2'>",
    "<a href=/c id=u>",
    "<a href=\"/d\" href=\"/e\">",
    "</a>",
    "<img src=/i.png alt=\"a > b\">",
    "<img src='/j.png'/>",
    "<h2 id=\"t&#39;1\">",
    "<p title=\"<a href=/q>\">",
    "<div id=\"",
    "<span class=hl-x>",
    "</span>",
    "<script>",
    "</script>",
    "</SCRIPT >",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "</title>",
    "<noscript>",
    "</noscript>",
    "<!--",
    "-->",
    "--!>",
    "<!-->",
    "<!DOCTYPE html>",
    "<?php x ?>",
    "</ p>",
    "</>",
    "<main>",
    "</main>",
    "<br/>",
    "<",
    ">",
    "/",
    "=",
    "\"",
    "'",
    " ",
    "\n",
    "texte",
    "&amp;",
    "&lt;a href=\"/z\"&gt;",
    "var s = \"<a href='/x'>\";",
    "a[href=\"/w\"]{}",
    " id=v",
    " src=\"/k\"",
];

fn page() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// A page without `<main>`, whose `main_text` is then the text of the whole page.
fn page_without_main() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !p.contains("main"))
        .collect();
    proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_reader_finds_what_lol_html_finds(page in page()) {
        prop_assert_eq!(html::scan(&page), reference_scan(&page), "{}", page);
    }

    #[test]
    fn the_reader_reads_the_text_lol_html_reads(page in page_without_main()) {
        prop_assert_eq!(html::main_text(&page), reference_text(&page), "{}", page);
    }
}

/// Every page of the example portfolio reads the same with both.
#[test]
fn built_pages_read_the_same() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../example-portfolio");
    let loaded = folio_generator::build::load(&root, &Default::default()).unwrap();
    let (output, _) = loaded.render().unwrap();
    let mut pages = 0;
    for (path, file) in &output.files {
        if path.ends_with(".html") {
            let bytes = file.read().unwrap();
            let page = String::from_utf8_lossy(&bytes);
            assert_eq!(html::scan(&page), reference_scan(&page), "{path}");
            pages += 1;
        }
    }
    assert!(pages > 10);
}
