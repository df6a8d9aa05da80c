//! Code highlighting as CSS classes: bat's syntaxes (through `two-face`) on syntect's
//! pure-Rust regex engine, plus the two a BTS SIO student needs that bat lacks
//! (PowerShell, Cisco IOS), and the names students give their languages.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

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
    for set in [bat(), ours()] {
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

/// A fenced code block as HTML: highlighted when the language is known, escaped text otherwise.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", crate::markdown::escape_html(lang))
    };
    let plain = || {
        format!(
            "<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{}</code></pre>\n",
            crate::markdown::escape_html(code)
        )
    };
    let Some((syntax, set)) = (!lang.is_empty()).then(|| find(lang, code)).flatten() else {
        return plain();
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // An error here means a broken grammar, not bad input: fall back to plain text.
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return plain();
        }
    }
    format!(
        "<pre class=\"code\" tabindex=\"0\"{lang_attr}><code>{}</code></pre>\n",
        generator.finalize()
    )
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
            let html = highlight(code, lang);
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
            assert!(is_known(lang), "{lang}");
        }
    }

    #[test]
    fn unknown_languages_are_named_with_the_nearest() {
        assert!(!is_known("csharpp"));
        assert_eq!(nearest_language("csharpp"), Some("csharp"));
        assert_eq!(nearest_language("powershel"), Some("powershell"));
        assert!(is_known("text") && is_known(""));
        let html = highlight("<a href=\"/x\">", "inconnu");
        assert!(html.contains("&lt;a href=&quot;/x&quot;&gt;"), "{html}");
    }
}
