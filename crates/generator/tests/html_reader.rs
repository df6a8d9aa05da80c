//! folio's HTML reader against lol_html, a tokenizer that follows the HTML standard
//! (and that folio used before): on generated markup full of the cases that trip a
//! reader up (comments, raw text elements, quotes, `>` in values, tags cut off by the
//! end of the page, repeated attributes, upper case), both find the same links, ids
//! and text.

use std::cell::RefCell;

use folio_generator::html::{self, PageScan, decode_entities};
use lol_html::{HtmlRewriter, Settings, element};
use proptest::prelude::*;

/// The links and ids lol_html finds, as written (what folio's scan did with it, before
/// decoding character references).
fn reference_scan(page: &str) -> PageScan {
    let found = RefCell::new(PageScan::default());
    let settings =
        Settings::new().append_element_content_handler(element!("[href], [src], [id]", |el| {
            let mut f = found.borrow_mut();
            for attr in ["href", "src"] {
                if let Some(v) = el.get_attribute(attr) {
                    f.links.push(v);
                }
            }
            if let Some(id) = el.get_attribute("id") {
                f.ids.insert(id);
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    found.into_inner()
}

/// The same from folio's tokenizer, values as written.
fn raw_scan(page: &str) -> PageScan {
    struct Raw(PageScan);
    impl html::Visitor for Raw {
        fn start_tag(&mut self, _name: &str, attributes: &[(&str, &str)]) {
            let get = |wanted: &str| {
                attributes
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(wanted))
                    .map(|(_, v)| (*v).to_owned())
            };
            self.0.links.extend(get("href"));
            self.0.links.extend(get("src"));
            self.0.ids.extend(get("id"));
        }
    }
    let mut raw = Raw(PageScan::default());
    html::tokenize(page, &mut raw);
    raw.0
}

/// The text of `<main>` (of the whole page without one) as folio's `main_text` read it
/// with lol_html.
fn reference_main_text(page: &str) -> String {
    use std::cell::Cell;
    use std::rc::Rc;
    let depth = Rc::new(Cell::new(0usize));
    let seen_main = Cell::new(false);
    let (main, all) = (RefCell::new(String::new()), RefCell::new(String::new()));
    let in_main = depth.clone();
    let settings = Settings::new()
        .append_element_content_handler(element!("main", |el| {
            seen_main.set(true);
            in_main.set(in_main.get() + 1);
            let on_end = in_main.clone();
            if let Some(handlers) = el.end_tag_handlers() {
                let leave: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                    on_end.set(on_end.get().saturating_sub(1));
                    Ok(())
                });
                handlers.push(leave);
            }
            Ok(())
        }))
        .append_document_content_handler(lol_html::doc_text!(|t| {
            if t.text_type() != lol_html::html_content::TextType::Data {
                return Ok(());
            }
            let end = if t.last_in_text_node() { " " } else { "" };
            for (text, wanted) in [(&all, true), (&main, depth.get() > 0)] {
                if wanted {
                    text.borrow_mut().push_str(t.as_str());
                    text.borrow_mut().push_str(end);
                }
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    let text = if seen_main.get() { main } else { all }.into_inner();
    decode_entities(&text)
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
    "é",
    "📎 ",
    "<a href=\"/é/\">",
    "<xmp>",
    "</xmp>",
    "<iframe>",
    "</iframe>",
    "<noembed>",
    "</noembed>",
    "<noframes>",
    "</noframes>",
    "<plaintext>",
    "<script type=module>",
    "<script/>",
    "</script\t>",
    "</script/>",
    "-",
    "--",
    "->",
    "!",
    "\t",
    "\u{c}",
    "\r",
    "<main id=m>",
];

fn page() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// A page without `<main>`: its `main_text` is the text of the whole page. (With one,
/// lol_html ends `<main>` at any end tag it cannot match, such as a stray `</a>`, where
/// a browser goes on; the unit tests of `html.rs` cover `<main>`.)
fn page_without_main() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !p.contains("main"))
        .collect();
    proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn the_reader_finds_what_lol_html_finds(page in page()) {
        prop_assert_eq!(raw_scan(&page), reference_scan(&page), "{}", page);
    }

    #[test]
    fn the_reader_reads_the_text_lol_html_reads(page in page_without_main()) {
        // A lone `<` ending the page is text for a browser (and folio); lol_html drops it.
        let page = page.trim_end_matches('<');
        prop_assert_eq!(html::main_text(page), reference_main_text(page), "{}", page);
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
            assert_eq!(raw_scan(&page), reference_scan(&page), "{path}");
            assert_eq!(html::main_text(&page), reference_main_text(&page), "{path}");
            pages += 1;
        }
    }
    assert!(pages > 10);
}
