//! Turning the bytes of a student's file into text.
//!
//! Students write on Windows, paste from Word and migrate from other generators:
//! a BOM, CRLF line endings, a file saved in Windows-1252, or UTF-8 that was once
//! decoded with a Windows code page and saved again ("Ã©" for "é") are all everyday
//! input. [`decode`] accepts them all and says what it saw; [`repair_mojibake`]
//! undoes the last one.

use encoding_rs::Encoding;

/// What [`decode`] noticed about a file, beyond its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextNotes {
    /// The file started with a UTF-8 byte-order mark (removed).
    pub bom: bool,
    /// The file used CRLF or CR line endings (normalised to LF).
    pub crlf: bool,
    /// The file was not valid UTF-8 and was read as this encoding instead.
    pub legacy_encoding: Option<&'static str>,
    /// Lines (1-based) holding UTF-8 decoded with a legacy code page, with the code page.
    pub mojibake: Option<Mojibake>,
}

/// Where a text holds mojibake and which code page explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mojibake {
    /// The code page the UTF-8 text was wrongly decoded with.
    pub codepage: &'static str,
    /// 1-based lines with at least one garbled sequence.
    pub lines: Vec<usize>,
    /// The first garbled sequence and what it should read, for the message.
    pub example: (String, String),
}

/// A decoded file.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The text, with LF line endings and no BOM.
    pub text: String,
    /// What was noticed while decoding.
    pub notes: TextNotes,
}

/// Why a file cannot be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// It holds NUL bytes: an image, a PDF or a Word file named `.md`.
    Binary,
}

/// Decode a source file's bytes, accepting BOM, CRLF and legacy encodings.
pub fn decode(bytes: &[u8]) -> Result<SourceText, NotText> {
    let mut notes = TextNotes::default();
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(NotText::Binary);
    }
    let body = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            notes.bom = true;
            rest
        }
        None => bytes,
    };
    let text = match simdutf8::basic::from_utf8(body) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            // Windows-1252 is what Notepad and Word wrote in France for decades, and it
            // decodes every Latin-1 file the same way for the characters French uses.
            let (cow, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            notes.legacy_encoding = Some("Windows-1252");
            cow.into_owned()
        }
    };
    let text = if text.contains('\r') {
        notes.crlf = true;
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    notes.mojibake = detect_mojibake(&text);
    Ok(SourceText { text, notes })
}

/// Code pages whose misreading of UTF-8 we know how to undo, most common first.
/// Not every garbled file went through Windows-1252: a Turkish-locale Windows
/// (1254) turns the "ð" of 4-byte sequences into "ğ", as the seed example shows.
const CODEPAGES: [&Encoding; 4] = [
    encoding_rs::WINDOWS_1252,
    encoding_rs::WINDOWS_1254,
    encoding_rs::WINDOWS_1250,
    encoding_rs::WINDOWS_1257,
];

/// Find mojibake in `text`, if any, with the code page that explains most of it.
pub fn detect_mojibake(text: &str) -> Option<Mojibake> {
    if !might_hold_mojibake(text) {
        return None;
    }
    let (enc, repaired, count) = best_repair(text)?;
    if count == 0 {
        return None;
    }
    let differing: Vec<(usize, (&str, &str))> = text
        .lines()
        .zip(repaired.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .collect();
    let lines: Vec<usize> = differing.iter().map(|(i, _)| i + 1).collect();
    // The example is taken from the first garbled line, so the message stays one word.
    let example = differing.first().map_or_else(
        || first_difference(text, &repaired),
        |(_, (a, b))| first_difference(a, b),
    );
    Some(Mojibake {
        codepage: enc.name(),
        lines,
        example,
    })
}

/// Whether `text` has a pair of characters that UTF-8 seen through a Latin code page
/// produces: a lead byte's character (Ã Â â Å Ä Ð ğ ð…) followed by a continuation
/// byte's (0x80–0xBF, which those code pages map below U+00C0 or above U+00FF, but for
/// Windows-1257's Æ Ø æ ø). French
/// letters are lead characters too, but are followed by ASCII almost always, so this
/// cheap scan spares nearly every real file the four repair passes.
fn might_hold_mojibake(text: &str) -> bool {
    let is_lead = |c: char| matches!(c as u32, 0xC2..=0xF4 | 0x100..=0x17F);
    let is_continuation =
        |c: char| matches!(c as u32, 0x80..=0xBF | 0xC6 | 0xD8 | 0xE6 | 0xF8 | 0x100..);
    // Every lead character is encoded from byte C3, C4 or C5: only those are looked at.
    memchr::memchr3_iter(0xC3, 0xC4, 0xC5, text.as_bytes()).any(|i| {
        let mut chars = text[i..].chars();
        let (Some(prev), Some(c)) = (chars.next(), chars.next()) else {
            return false;
        };
        // "Ã" + space: an editor turned the no-break space of "Ã\u{a0}" (à) into a space.
        is_lead(prev) && (is_continuation(c) || (prev == 'Ã' && c == ' '))
    })
}

/// Undo mojibake: the repaired text and the code page used, or `None` if nothing to do.
/// Text garbled twice is repaired twice.
pub fn repair_mojibake(text: &str) -> Option<(String, &'static str)> {
    let (enc, mut out, count) = best_repair(text)?;
    if count == 0 {
        return None;
    }
    for _ in 0..2 {
        match best_repair(&out) {
            Some((_, again, n)) if n > 0 => out = again,
            _ => break,
        }
    }
    Some((out, enc.name()))
}

fn best_repair(text: &str) -> Option<(&'static Encoding, String, usize)> {
    CODEPAGES
        .iter()
        .enumerate()
        .map(|(rank, enc)| {
            let (out, fixed, left) = repair_with(text, enc);
            (*enc, out, fixed, left, rank)
        })
        // Most sequences repaired, then fewest suspicious leftovers; ties keep the
        // more common code page (the order of CODEPAGES).
        .max_by(|a, b| a.2.cmp(&b.2).then(b.3.cmp(&a.3)).then(b.4.cmp(&a.4)))
        .map(|(e, out, fixed, _, _)| (e, out, fixed))
}

/// Repair runs of non-ASCII characters that are UTF-8 bytes seen through `enc`.
/// Returns the text, the number of sequences repaired and of lead bytes left unrepaired.
fn repair_with(text: &str, enc: &'static Encoding) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let mut fixed = 0;
    let mut left = 0;
    let mut run: Vec<(char, u8)> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match byte_in(c, enc) {
            Some(b) if !c.is_ascii() => run.push((c, b)),
            _ => {
                // An editor often turns the no-break space of "Ã\u{a0}" (à) into a plain space.
                if c == ' ' && run.last().is_some_and(|&(_, b)| b == 0xC3) {
                    run.push((' ', 0xA0));
                    let (f, l) = flush(&mut run, &mut out, true);
                    fixed += f;
                    left += l;
                    i += 1;
                    continue;
                }
                let (f, l) = flush(&mut run, &mut out, false);
                fixed += f;
                left += l;
                out.push(c);
            }
        }
        i += 1;
    }
    let (f, l) = flush(&mut run, &mut out, false);
    (out, fixed + f, left + l)
}

/// Decode a run of bytes as UTF-8 where it is valid, keeping the original characters elsewhere.
fn flush(run: &mut Vec<(char, u8)>, out: &mut String, space_tail: bool) -> (usize, usize) {
    let mut fixed = 0;
    let mut left = 0;
    let bytes: Vec<u8> = run.iter().map(|&(_, b)| b).collect();
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0
            && i + len <= bytes.len()
            && let Ok(s) = std::str::from_utf8(&bytes[i..i + len])
        {
            out.push_str(s);
            fixed += 1;
            i += len;
            continue;
        }
        if len > 0 {
            left += 1;
        }
        // A trailing space we borrowed but could not use goes back as a space.
        if space_tail && i == bytes.len() - 1 {
            out.push(' ');
        } else {
            out.push(run[i].0);
        }
        i += 1;
    }
    run.clear();
    (fixed, left)
}

/// The single byte `c` is written as in `enc`, if any. C1 controls stand for the
/// bytes a Windows code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
fn byte_in(c: char, enc: &'static Encoding) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    if ('\u{80}'..='\u{9f}').contains(&c) {
        return Some(c as u32 as u8);
    }
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = enc.encode(s);
    (!unmappable && bytes.len() == 1).then(|| bytes[0])
}

fn first_difference(a: &str, b: &str) -> (String, String) {
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let suffix = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let word = |s: &str| -> String {
        let n = s.chars().count();
        let end = n.saturating_sub(suffix).max(prefix);
        // Widen to the surrounding word so the example reads naturally.
        let chars: Vec<char> = s.chars().collect();
        let mut start = prefix;
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let mut stop = end;
        while stop < n && !chars[stop].is_whitespace() {
            stop += 1;
        }
        chars[start..stop].iter().collect()
    };
    (word(a), word(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character scan the byte search replaced.
    fn might_hold_mojibake_by_chars(text: &str) -> bool {
        let is_lead = |c: char| matches!(c as u32, 0xC2..=0xF4 | 0x100..=0x17F);
        let is_continuation =
            |c: char| matches!(c as u32, 0x80..=0xBF | 0xC6 | 0xD8 | 0xE6 | 0xF8 | 0x100..);
        let mut prev = ' ';
        text.chars().any(|c| {
            let hit = is_lead(prev) && (is_continuation(c) || (prev == 'Ã' && c == ' '));
            prev = c;
            hit
        })
    }

    proptest::proptest! {
        #[test]
        fn the_byte_search_finds_what_the_character_scan_finds(
            text in "[a é àÃÂâÅÄğðœ€…«»\u{a0}\u{a9}\u{c6}\u{100}\u{17f}\u{180}\u{f5}\u{c1}\u{2019}]{0,12}"
        ) {
            proptest::prop_assert_eq!(might_hold_mojibake(&text), might_hold_mojibake_by_chars(&text));
        }
    }

    #[test]
    fn bom_and_crlf_are_removed_and_noted() {
        let s = decode(b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(s.text, "---\ntitle: x\n---\n");
        assert!(s.notes.bom && s.notes.crlf);
        assert_eq!(s.notes.legacy_encoding, None);
    }

    #[test]
    fn windows_1252_is_read_and_noted() {
        let s = decode(b"D\xe9ploiement \x80 \x92").unwrap();
        assert_eq!(s.text, "Déploiement € ’");
        assert_eq!(s.notes.legacy_encoding, Some("Windows-1252"));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"%PDF-1.4\n\0\0").unwrap_err(), NotText::Binary);
    }

    #[test]
    fn plain_french_is_not_mojibake() {
        let text = "Élève à l’école : « Déploiement », œuvre, ça, Ça, naïf, 📄, 100 °C, Ångström.";
        assert_eq!(detect_mojibake(text), None);
        assert_eq!(repair_mojibake(text), None);
    }

    /// The cheap pre-scan never hides mojibake the repair would find: every non-ASCII
    /// character French text and emoji use, garbled through each code page we repair.
    #[test]
    fn pre_scan_sees_every_garbled_character() {
        let chars = "éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÙÛÇœŒæ«»’‘“”–—…€°²ñ\u{a0}📄✅🚀";
        for enc in CODEPAGES {
            for c in chars.chars() {
                let utf8 = c.to_string();
                let (garbled, _) = enc.decode_without_bom_handling(utf8.as_bytes());
                if garbled.contains('\u{fffd}') {
                    continue;
                }
                let text = format!("mot {garbled} mot");
                assert!(might_hold_mojibake(&text), "{c} via {}: {text}", enc.name());
                assert!(detect_mojibake(&text).is_some(), "{c} via {}", enc.name());
            }
        }
        let french = "Élève à l’école : «\u{a0}Déploiement\u{a0}», œuvre, ça, 📄, 100 °C, déjà.\n";
        assert!(!might_hold_mojibake(&french.repeat(50)));
    }

    #[test]
    fn windows_1252_mojibake_is_repaired() {
        let (fixed, cp) = repair_mojibake("Ã‰preuve, lâ€™Ã©quipe Â« DÃ©ploiement Â»").unwrap();
        assert_eq!(fixed, "Épreuve, l’équipe « Déploiement »");
        assert_eq!(cp, "windows-1252");
    }

    #[test]
    fn turkish_codepage_mojibake_of_emoji_is_repaired() {
        // "📄" (F0 9F 93 84) read as Windows-1254 gives "ğŸ“„".
        let (fixed, cp) = repair_mojibake("[ğŸ“„ TABLEAU] MISE Ã€ JOUR").unwrap();
        assert_eq!(fixed, "[📄 TABLEAU] MISE À JOUR");
        assert_eq!(cp, "windows-1254");
    }

    #[test]
    fn lost_no_break_space_after_a_tilde_is_still_a_grave() {
        let (fixed, _) = repair_mojibake("mise Ã  disposition").unwrap();
        assert_eq!(fixed, "mise à disposition");
    }

    #[test]
    fn double_mojibake_is_repaired_twice() {
        let once = "Ã©";
        let twice: String = once
            .bytes()
            .map(|b| {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(&[b])
                    .0
                    .into_owned()
            })
            .collect();
        assert_eq!(repair_mojibake(&twice).unwrap().0, "é");
    }

    #[test]
    fn detection_reports_lines_and_an_example() {
        let m = detect_mojibake("ok\nla comp\u{c3}\u{a9}tence\nok").unwrap();
        assert_eq!(m.lines, vec![2]);
        assert_eq!(m.example, ("compÃ©tence".into(), "compétence".into()));
    }
}
