//! Code highlighting as CSS classes: bat's syntaxes (through `two-face`) on syntect's
//! pure-Rust regex engine, plus the two a BTS SIO student needs that bat lacks
//! (PowerShell, Cisco IOS), and the names students give their languages.

use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{
    ParseState, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

mod lines;

/// CSS class prefix of highlighted tokens, shared with [`syntax_css`].
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// What students write after ```` ``` ```` → the syntax's name. Tokens that are a
/// syntax's own extension (`py`, `java`, `sql`…) need no entry.
const ALIASES: &[(&str, &str)] = &[
    ("csharp", "C#"),
    ("c#", "C#"),
    ("cs", "C#"),
    ("dotnet", "C#"),
    ("dart", "Dart"),
    ("flutter", "Dart"),
    ("kotlin", "Kotlin"),
    ("typescript", "TypeScript"),
    ("vue", "Vue Component"),
    ("twig", "HTML (Twig)"),
    ("symfony", "HTML (Twig)"),
    ("powershell", "PowerShell"),
    ("pwsh", "PowerShell"),
    ("ps", "PowerShell"),
    ("docker", "Dockerfile"),
    ("dockerfile", "Dockerfile"),
    ("nginx", "nginx"),
    ("apache", "Apache Conf"),
    ("apacheconf", "Apache Conf"),
    ("htaccess", "Apache Conf"),
    ("cisco", "Cisco IOS"),
    ("ios", "Cisco IOS"),
    ("cisco-ios", "Cisco IOS"),
    ("javascript", "JavaScript"),
    ("python", "Python"),
    ("shell", "Bourne Again Shell (bash)"),
    ("console", "Bourne Again Shell (bash)"),
    ("terminal", "Bourne Again Shell (bash)"),
    ("mysql", "SQL"),
    ("postgresql", "SQL"),
    ("sql", "SQL"),
    ("batch", "Batch File"),
    ("cmd", "Batch File"),
    ("ini", "INI"),
    ("conf", "INI"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("html", "HTML"),
    ("xml", "XML"),
    ("markdown", "Markdown"),
];

/// Languages that are plain text on purpose: no highlighting, no finding.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "output", "log", "none"];

fn bat() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn ours() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut b = SyntaxSetBuilder::new();
        for text in [
            include_str!("../syntaxes/PowerShell.sublime-syntax"),
            include_str!("../syntaxes/CiscoIOS.sublime-syntax"),
        ] {
            // Checked by a unit test: a broken file would only lose its highlighting.
            if let Ok(def) = SyntaxDefinition::load_from_str(text, true, None) {
                b.add(def);
            }
        }
        b.build()
    })
}

/// The syntax for a fenced block's language, and the set it belongs to. PHP without
/// `<?php` (a snippet) starts in PHP, not in HTML.
fn find(lang: &str, code: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let token = lang.trim().to_lowercase();
    if token == "php" && !code.contains("<?") {
        return bat().find_syntax_by_name("PHP Source").map(|s| (s, bat()));
    }
    let name = ALIASES.iter().find(|(a, _)| *a == token).map(|(_, n)| *n);
    // Our own set is built (grammars compiled) only for a language bat does not have.
    let sets: [fn() -> &'static SyntaxSet; 2] = [bat, ours];
    for set in sets.into_iter().map(|f| f()) {
        let found = match name {
            Some(n) => set.find_syntax_by_name(n),
            None => set.find_syntax_by_token(&token),
        };
        if let Some(s) = found {
            return Some((s, set));
        }
    }
    None
}

/// Whether folio highlights this language (or shows it as text on purpose).
pub fn is_known(lang: &str) -> bool {
    let t = lang.trim().to_lowercase();
    t.is_empty() || PLAIN.contains(&t.as_str()) || find(&t, "<?").is_some()
}

/// The known language nearest to a misspelt one, for the finding.
pub fn nearest_language(lang: &str) -> Option<&'static str> {
    static TOKENS: OnceLock<Vec<String>> = OnceLock::new();
    let tokens = TOKENS.get_or_init(|| {
        let mut v: Vec<String> = ALIASES.iter().map(|(a, _)| (*a).to_owned()).collect();
        for set in [bat(), ours()] {
            for s in set.syntaxes() {
                v.extend(s.file_extensions.iter().filter(|e| e.len() <= 12).cloned());
            }
        }
        v.sort();
        v.dedup();
        v
    });
    crate::diagnostic::nearest(lang, tokens.iter().map(String::as_str))
        .and_then(|n| tokens.iter().find(|t| *t == n))
        .map(|s| -> &'static str { s.as_str() })
}

/// A fenced code block as HTML.
pub struct Block {
    pub html: String,
    /// Whether folio knows the block's language (or shows it as text on purpose): an
    /// unknown language is shown as text, and the writer is told.
    pub known: bool,
}

/// A fenced code block as HTML: highlighted when the language is known, escaped text
/// otherwise. A block the previous build highlighted from the same language and code
/// is taken from its page instead: highlighting is most of a build's time, and a build
/// whose blocks all come back never loads the grammars.
pub fn highlight(code: &str, lang: &str, previous: &Previous<'_>) -> Block {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", crate::markdown::escape_html(lang))
    };
    let plain = |known| Block {
        html: format!(
            "<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{}</code></pre>\n",
            crate::markdown::escape_html(code)
        ),
        known,
    };
    if lang.is_empty() || PLAIN.contains(&lang.trim().to_lowercase().as_str()) {
        return plain(true);
    }
    let key = fingerprint(lang, code);
    let html = match previous.blocks.get(&key) {
        Some(html) => (*html).to_owned(),
        None => match highlighted(code, lang) {
            Some(html) => html,
            // A grammar that fails is not an unknown language.
            None => return plain(find(lang, code).is_some()),
        },
    };
    Block {
        html: format!(
            "<pre class=\"code\" tabindex=\"0\"{lang_attr} {FINGERPRINT}\"{key:016x}{:016x}\"><code>{html}</code></pre>\n",
            seal(key, &html)
        ),
        known: true,
    }
}

/// The inside of `<code>` for a known language; `None` for a language folio does not
/// know, or a grammar that fails (a broken grammar, not bad input).
fn highlighted(code: &str, lang: &str) -> Option<String> {
    let (syntax, set) = find(lang, code)?;
    classed_html(code, syntax, set)
}

/// What syntect's `ClassedHTMLGenerator` writes for `code`, with each line's parse
/// taken from [`lines`] when the same line was parsed from the same state before.
fn classed_html(code: &str, syntax: &SyntaxReference, set: &'static SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    let mut open_spans = 0;
    for line in LinesWithEndings::from(code) {
        let ops = lines::parse(&mut state, line, set)?;
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// The attribute of a highlighted block that holds its fingerprint (language and code)
/// followed by a hash of the fingerprint and the HTML (so that a block edited by hand
/// is never copied forward, nor filed under another code's fingerprint).
///
/// The output folder is folio's: someone who can write there can change the published
/// site anyway. Still, a block is only ever taken back if it is what syntect writes
/// (text and `<span class="…">` tags, [`is_highlighting`]): no script or link can be
/// carried from one build to the next through it.
const FINGERPRINT: &str = "data-empreinte=";

/// Highlighted blocks of a page from a previous build, by fingerprint.
#[derive(Debug, Default)]
pub struct Previous<'a> {
    blocks: HashMap<u64, &'a str>,
}

impl<'a> Previous<'a> {
    /// The blocks of a built page whose HTML still matches its hash. The page is read
    /// as bytes: only the blocks need to be valid UTF-8.
    pub fn from_page(page: &'a [u8]) -> Previous<'a> {
        let mut blocks = HashMap::new();
        let mut rest = page;
        let finder = memchr::memmem::Finder::new(FINGERPRINT.as_bytes());
        while let Some(i) = finder.find(rest) {
            rest = &rest[i + FINGERPRINT.len()..];
            if let Some(after) = rest
                .strip_prefix(b"\"")
                .and_then(|r| block_after(r, &mut blocks))
            {
                rest = after;
            }
        }
        Previous { blocks }
    }

    /// How many blocks can be reused.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether no block can be reused.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// Read `KEYHASH"><code>HTML</code></pre>` and remember HTML under KEY if HASH matches;
/// the text after the block.
fn block_after<'a>(rest: &'a [u8], blocks: &mut HashMap<u64, &'a str>) -> Option<&'a [u8]> {
    let hex = rest.get(..32)?;
    let key = hex_u64(&hex[..16])?;
    let hash = hex_u64(&hex[16..])?;
    let after = rest[32..].strip_prefix(b"\"><code>")?;
    let end = memchr::memmem::find(after, b"</code></pre>")?;
    let html = simdutf8::basic::from_utf8(&after[..end]).ok()?;
    if seal(key, html) == hash && is_highlighting(html) {
        blocks.insert(key, html);
    }
    Some(&after[end..])
}

/// Sixteen lowercase hexadecimal digits, as [`highlight`] writes them.
fn hex_u64(digits: &[u8]) -> Option<u64> {
    digits
        .iter()
        .all(|d| matches!(d, b'0'..=b'9' | b'a'..=b'f'))
        .then(|| u64::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok())
        .flatten()
}

/// Whether `html` is only what syntect's classed output is made of: text (`<` and `>`
/// escaped) and `<span class="…">` … `</span>`.
fn is_highlighting(html: &str) -> bool {
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'>', rest.as_bytes()) {
        let tag = &rest[i..];
        rest = if let Some(after) = tag.strip_prefix("</span>") {
            after
        } else if let Some(after) = tag.strip_prefix("<span class=\"") {
            match memchr::memchr3(b'"', b'<', b'>', after.as_bytes()) {
                Some(end) if after[end..].starts_with("\">") => &after[end + 2..],
                _ => return false,
            }
        } else {
            return false;
        };
    }
    true
}

/// The hash written after a block's fingerprint: of the fingerprint and the HTML.
fn seal(key: u64, html: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(html.as_bytes(), key)
}

/// What the highlighted HTML of a block depends on: its language and code, and this
/// build of folio (this file, its own grammars, and the versions of syntect, bat's
/// grammars and the regex engine, from `build.rs`).
fn fingerprint(lang: &str, code: &str) -> u64 {
    static FOLIO: OnceLock<u64> = OnceLock::new();
    let folio = FOLIO.get_or_init(|| {
        hash_of(concat!(
            env!("CARGO_PKG_VERSION"),
            env!("FOLIO_HIGHLIGHTERS"),
            include_str!("highlight.rs"),
            include_str!("highlight/lines.rs"),
            include_str!("../syntaxes/PowerShell.sublime-syntax"),
            include_str!("../syntaxes/CiscoIOS.sublime-syntax"),
        ))
    });
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(*folio);
    // Lengths first: ("ab", "c") and ("a", "bc") differ.
    h.update(&(lang.len() as u64).to_le_bytes());
    h.update(lang.as_bytes());
    h.update(code.as_bytes());
    h.digest()
}

// xxh3 (here and in `seal`): the same in every run and every build of folio, and fast
// on the kilobytes of a block.
fn hash_of(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The stylesheet for highlighted code: a light theme, and a dark one when the reader prefers it.
pub fn syntax_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let light = syntect::html::css_for_theme_with_class_style(
        &themes.themes["InspiredGitHub"],
        CLASS_STYLE,
    )
    .unwrap_or_default();
    let dark = syntect::html::css_for_theme_with_class_style(
        &themes.themes["base16-ocean.dark"],
        CLASS_STYLE,
    )
    .unwrap_or_default();
    let light = readable_colours(&light, LIGHT_CODE_BG, false);
    let dark = readable_colours(&dark, DARK_CODE_BG, true);
    format!(
        "/* Généré par folio à partir des thèmes de syntect. Les couleurs claires ne valent qu'en\n   mode clair : en mode sombre, une classe que le thème sombre ne colore pas garde la couleur\n   du texte au lieu d'un gris foncé illisible. */\n@media not (prefers-color-scheme: dark) {{\n{light}\n}}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

/// The code blocks' background in the built-in themes (their `--surface`), light and dark.
const LIGHT_CODE_BG: [u8; 3] = [0xf4, 0xf6, 0xf9];
const DARK_CODE_BG: [u8; 3] = [0x1b, 0x21, 0x29];

/// Every text colour of a syntect stylesheet, darkened (or lightened on a dark
/// background) until it reaches the WCAG AA contrast of 4.5:1: InspiredGitHub's
/// function names (#0086b3) fall short, and axe-core reports them.
fn readable_colours(css: &str, bg: [u8; 3], dark: bool) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let is_background = rest[..i].ends_with("background-");
        let start = i + "color: #".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let hex = rest
            .get(..6)
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        if let (false, Some(hex)) = (is_background, hex) {
            let rgb = [0, 2, 4].map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap_or(0));
            let fixed = with_contrast(rgb, bg, dark);
            out.push_str(&format!("{:02x}{:02x}{:02x}", fixed[0], fixed[1], fixed[2]));
            rest = &rest[6..];
        }
    }
    out.push_str(rest);
    out
}

fn with_contrast(mut rgb: [u8; 3], bg: [u8; 3], dark: bool) -> [u8; 3] {
    // 4.6 rather than 4.5: a margin for the rounding of the browser's own computation.
    for _ in 0..40 {
        if contrast(rgb, bg) >= 4.6 {
            break;
        }
        rgb = rgb.map(|c| {
            if dark {
                c.saturating_add((255 - c) / 8 + 1)
            } else {
                (f64::from(c) * 0.9) as u8
            }
        });
    }
    rgb
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_colours_reach_aa_contrast() {
        let css = syntax_css();
        assert!(
            !css.contains("#0086b3"),
            "InspiredGitHub's low-contrast blue is darkened"
        );
        let fixed = readable_colours(
            ".a { color: #0086b3; background-color: #ffffff; }",
            LIGHT_CODE_BG,
            false,
        );
        assert!(fixed.contains("background-color: #ffffff"));
        let hex = fixed.split("color: #").nth(1).unwrap();
        let rgb = [0, 2, 4].map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap());
        assert!(contrast(rgb, LIGHT_CODE_BG) >= 4.5);
        assert!(
            contrast(
                with_contrast([0x65, 0x73, 0x7e], DARK_CODE_BG, true),
                DARK_CODE_BG
            ) >= 4.5
        );
    }

    #[test]
    fn our_syntaxes_load() {
        for text in [
            include_str!("../syntaxes/PowerShell.sublime-syntax"),
            include_str!("../syntaxes/CiscoIOS.sublime-syntax"),
        ] {
            SyntaxDefinition::load_from_str(text, true, None).unwrap();
        }
        assert_eq!(ours().syntaxes().len(), 2);
    }

    /// Every language a BTS SIO student writes, on a real snippet: spans, not plain text.
    #[test]
    fn every_language_students_use_is_highlighted() {
        let snippets = [
            ("csharp", "public class Client { private string nom; }\n"),
            ("cs", "var x = new List<int>();\n"),
            ("c#", "Console.WriteLine(\"ok\");\n"),
            ("dart", "void main() { final nom = 'Léa'; print(nom); }\n"),
            ("php", "$pdo = new PDO($dsn, $user, $pass);\necho $nom;\n"),
            ("php", "<?php\necho 'bonjour';\n"),
            ("kotlin", "fun main() { val nom = \"Léa\" }\n"),
            (
                "typescript",
                "const n: number = 3;\ninterface A { x: string }\n",
            ),
            (
                "vue",
                "<template><div>{{ nom }}</div></template>\n<script>export default {}</script>\n",
            ),
            (
                "twig",
                "{% for r in realisations %}{{ r.titre }}{% endfor %}\n",
            ),
            (
                "powershell",
                "Get-ADUser -Filter * | Where-Object { $_.Enabled -eq $true }\n# commentaire\n",
            ),
            ("ps1", "$nom = \"Léa\"\n"),
            ("dockerfile", "FROM debian:12\nRUN apt-get update\n"),
            (
                "nginx",
                "server {\n  listen 80;\n  server_name glpi.local;\n}\n",
            ),
            (
                "apache",
                "<VirtualHost *:80>\n  DocumentRoot /var/www/glpi\n</VirtualHost>\n",
            ),
            (
                "cisco",
                "interface GigabitEthernet0/1\n switchport mode access\n ip address 192.168.1.1 255.255.255.0\n!\n",
            ),
            ("bash", "sudo systemctl restart apache2\n"),
            ("sql", "SELECT nom FROM client WHERE id = 3;\n"),
            ("python", "def f(x):\n    return x\n"),
            ("java", "public static void main(String[] args) {}\n"),
            ("yaml", "services:\n  web:\n    image: nginx\n"),
            ("json", "{\"a\": 1}\n"),
            ("html", "<p class=\"a\">x</p>\n"),
            ("batch", "@echo off\nset X=1\n"),
            ("ini", "[section]\ncle=valeur\n"),
            ("javascript", "const x = document.querySelector('#a');\n"),
            ("xml", "<a href=\"x\"/>\n"),
        ];
        for (lang, code) in snippets {
            let html = highlight(code, lang, &Previous::default()).html;
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
            let (syntax, set) = find(lang, code).unwrap();
            let inner = by_syntect(code, syntax, set);
            assert!(
                html.contains(&format!("<code>{inner}</code>")),
                "{lang}: {html}"
            );
            // Again: every line comes from the memo, and the HTML is the same.
            let hits = lines::HITS.get();
            assert_eq!(highlight(code, lang, &Previous::default()).html, html);
            assert_eq!(lines::HITS.get() - hits, code.lines().count(), "{lang}");
            // What syntect writes can be taken back by the next build.
            assert_eq!(
                Previous::from_page(html.as_bytes()).len(),
                1,
                "{lang}: {html}"
            );
            assert!(is_known(lang), "{lang}");
        }
    }

    /// A block of a previous page is reused only for the same language and code, and
    /// only while its HTML still matches the hash written beside it.
    #[test]
    fn blocks_of_a_previous_page_are_reused_only_when_intact() {
        let code = "sudo systemctl restart apache2\n";
        let fresh = highlight(code, "bash", &Previous::default()).html;
        assert!(fresh.contains(FINGERPRINT), "{fresh}");
        let previous = Previous::from_page(fresh.as_bytes());
        assert_eq!(previous.len(), 1);
        assert_eq!(highlight(code, "bash", &previous).html, fresh);

        // Reuse is real: a block recorded under this language and code comes back as is.
        let marker = "<span class=\"hl-reused\">déjà coloré</span>";
        let page = format!(
            "<p>avant</p><pre class=\"code\" {FINGERPRINT}\"{:016x}{:016x}\"><code>{marker}</code></pre>",
            fingerprint("bash", code),
            seal(fingerprint("bash", code), marker)
        );
        let previous = Previous::from_page(page.as_bytes());
        assert!(highlight(code, "bash", &previous).html.contains(marker));
        // Not for other code, nor another language.
        assert!(!highlight("ls\n", "bash", &previous).html.contains(marker));
        assert!(!highlight(code, "sh", &previous).html.contains(marker));
        // A block edited by hand (its hash no longer matches) is highlighted again.
        let edited = page.replace("déjà", "modifié");
        assert!(Previous::from_page(edited.as_bytes()).is_empty());
        // Truncated or malformed pages give nothing, and never panic.
        for cut in 0..page.len() {
            if page.is_char_boundary(cut) {
                let _ = Previous::from_page(&page.as_bytes()[..cut]);
            }
        }
        assert!(Previous::from_page(format!("{FINGERPRINT}\"zz").as_bytes()).is_empty());
        // Not hexadecimal, accents where the digits go: nothing, and no panic.
        let accents =
            format!("{FINGERPRINT}\"une empreinte réalisée à la main\"><code>x</code></pre>");
        assert!(Previous::from_page(accents.as_bytes()).is_empty());
        // A block filed under another code's fingerprint is refused.
        let moved = page.replace(
            &format!("{:016x}", fingerprint("bash", code)),
            &format!("{:016x}", fingerprint("bash", "ls\n")),
        );
        assert!(
            !highlight("ls\n", "bash", &Previous::from_page(moved.as_bytes()))
                .html
                .contains(marker)
        );
        // Anything but syntect's spans is refused, even with a matching hash.
        for html in [
            "<script>alert(1)</script>",
            "<span class=\"a\" onclick=\"x()\">t</span>",
            "<a href=\"/x\">t</a>",
            "<img src=x>",
            "a > b",
        ] {
            let key = fingerprint("bash", code);
            let page = format!(
                "{FINGERPRINT}\"{key:016x}{:016x}\"><code>{html}</code></pre>",
                seal(key, html)
            );
            assert!(Previous::from_page(page.as_bytes()).is_empty(), "{html}");
        }
    }

    /// syntect's own generator, line by line: what [`classed_html`] must write.
    fn by_syntect(code: &str, syntax: &SyntaxReference, set: &SyntaxSet) -> String {
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    /// A line is parsed once per state it is met in: the same text in a here-document
    /// and as a command are two parses, and both match syntect's own output, the
    /// first time and when every line comes back from the memo.
    #[test]
    fn a_parsed_line_is_reused_only_from_the_same_state() {
        let line = "echo \"$HOME\" > /tmp/sortie.txt\n";
        let code = format!("cat <<FIN\n{line}FIN\n{line}");
        let (syntax, set) = find("bash", &code).unwrap();
        let as_command = by_syntect(line, syntax, set);
        let in_heredoc = by_syntect(&code, syntax, set);
        // `echo` is a command once: the first time it is text of the here-document.
        assert!(as_command.contains("hl-echo"), "{as_command}");
        assert_eq!(in_heredoc.matches("hl-echo").count(), 1, "{in_heredoc}");
        for _ in 0..2 {
            assert_eq!(classed_html(&code, syntax, set).unwrap(), in_heredoc);
            assert_eq!(classed_html(line, syntax, set).unwrap(), as_command);
        }
        // The second time, all five lines came from the memo.
        let hits = lines::HITS.get();
        classed_html(&code, syntax, set).unwrap();
        classed_html(line, syntax, set).unwrap();
        assert_eq!(lines::HITS.get() - hits, 5);
    }

    /// Two syntax sets number their contexts alike: a line parsed in one is never
    /// taken for the same line in the other.
    #[test]
    fn a_parsed_line_is_reused_only_in_its_syntax_set() {
        let powershell = ours().find_syntax_by_name("PowerShell").unwrap();
        let start = ParseState::new(powershell);
        let twin = bat()
            .syntaxes()
            .iter()
            .find(|s| ParseState::new(s) == start)
            .expect("a bat syntax that starts in the same state as PowerShell");
        assert_ne!(twin.name, "PowerShell");
        let code = "$nom = Get-ADUser -Filter * # commentaire\n";
        for (syntax, set) in [(twin, bat()), (powershell, ours()), (twin, bat())] {
            assert_eq!(
                classed_html(code, syntax, set).unwrap(),
                by_syntect(code, syntax, set),
                "{}",
                syntax.name
            );
        }
    }

    #[test]
    fn the_memo_of_parsed_lines_stays_bounded() {
        let mut memo = lines::Memo::default();
        let state = ParseState::new(bat().find_syntax_by_name("INI").unwrap());
        for k in 0..lines::MAX_LINES_PER_SHARD + 10 {
            memo.keep_for_test(1, &format!("cle{k}=1\n"), &state);
            assert!(memo.len() <= lines::MAX_LINES_PER_SHARD);
        }
        assert!(memo.len() <= 10, "the memo started again");
        let before = memo.len();
        for _ in 0..3 {
            memo.keep_for_test(1, "}\n", &state);
        }
        assert_eq!(
            memo.len(),
            before + 1,
            "a state already kept is not kept twice"
        );
        // One line met in more states than MAX_STATES: only MAX_STATES are kept.
        for syntax in bat().syntaxes().iter().take(lines::MAX_STATES + 3) {
            memo.keep_for_test(1, "]\n", &ParseState::new(syntax));
        }
        assert_eq!(memo.len(), before + 1 + lines::MAX_STATES);
    }

    #[test]
    fn unknown_languages_are_named_with_the_nearest() {
        assert!(!is_known("csharpp"));
        assert_eq!(nearest_language("csharpp"), Some("csharp"));
        assert_eq!(nearest_language("powershel"), Some("powershell"));
        assert!(is_known("text") && is_known(""));
        let html = highlight("<a href=\"/x\">", "inconnu", &Previous::default()).html;
        assert!(html.contains("&lt;a href=&quot;/x&quot;&gt;"), "{html}");
    }
}
