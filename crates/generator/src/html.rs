//! Reading built pages with a real HTML tokenizer (lol_html): the one HTML scanner
//! of folio. Text that only looks like a tag (`&lt;a href="/x"&gt;` in a code block)
//! is text, never a link.

use std::cell::RefCell;
use std::collections::HashSet;

use lol_html::{HtmlRewriter, Settings, element};

/// What the checks need from a page, collected in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageScan {
    /// Every `href` and `src`, entities decoded, in document order.
    pub links: Vec<String>,
    /// Every `id`.
    pub ids: HashSet<String>,
}

/// Scan a page once for its links (`href`, `src`) and ids.
pub fn scan(html: &str) -> PageScan {
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
    // A page folio rendered is valid UTF-8; a broken one just yields what was read.
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    found.into_inner()
}

/// The text a reader sees in the page's `<main>` (the whole page's when it has none),
/// entities decoded and spaces collapsed: what `folio verify` compares, so that a host
/// or CDN that rewrites markup, adds scripts or reflows spaces changes nothing.
pub fn main_text(html: &str) -> String {
    use std::cell::{Cell, RefCell};
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
            // A space between text nodes: `<h1>A</h1><p>B` reads "A B" whether or not a
            // minifier removed the line break between the two.
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
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    let text = if seen_main.get() { main } else { all }.into_inner();
    decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decode the character references an attribute value may hold (`&amp;`, `&#39;`, `&#x2F;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_ids_in_one_pass_text_is_not_a_tag() {
        let page = "<a href=\"/a/?x=1&amp;y=2\">x</a><img src='/b.png'><h2 id=\"c&#39;d\">t</h2>\
                    <pre><code>&lt;a href=\"/x\"&gt; <span>id=\"z\"</span></code></pre>";
        let s = scan(page);
        assert_eq!(s.links, vec!["/a/?x=1&y=2", "/b.png"]);
        assert_eq!(s.ids, HashSet::from(["c'd".to_owned()]));
    }

    #[test]
    fn main_text_ignores_markup_scripts_and_spacing() {
        let page = "<header>Menu</header><main><h1>Titre</h1>\n  <p>Un &amp; <b>deux</b></p><script>x()</script></main><footer>Pied</footer>";
        assert_eq!(main_text(page), "Titre Un & deux");
        let rewritten = "<header>Autre menu</header><main class=x><h1>Titre</h1><p>Un &#38; <strong>deux</strong></p></main><script>cdn()</script>";
        assert_eq!(main_text(rewritten), main_text(page));
        assert_eq!(main_text("<p>Sans main</p>"), "Sans main");
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&#x2F;b&lt;&unknown;&"), "a/b<&unknown;&");
    }
}
