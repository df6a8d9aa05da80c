//! URL-safe names from French titles and file names.
//!
//! A macOS file name arrives in NFD (`e` + combining accent), a Windows one in NFC;
//! both must give the same URL, and no accent may ever produce a 404. So every path
//! that reaches the output goes through these functions, and so does every link.

use unicode_normalization::UnicodeNormalization;

/// `"Déploiement d'un serveur GLPI"` → `"deploiement-d-un-serveur-glpi"`.
pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        return ascii_slug(text);
    }
    // "n°2" reads "no2", not deunicode's "ndeg2".
    let nfc: String = text.nfc().map(|c| if c == '°' { 'o' } else { c }).collect();
    // deunicode spells œ as "oe", æ as "ae", ß as "ss" and drops accents.
    ascii_slug(&deunicode::deunicode(&nfc))
}

/// Runs of ASCII letters and digits, lower-cased, joined by single dashes.
fn ascii_slug(ascii: &str) -> String {
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// A file name for the output: the stem slugified, the extension lower-cased.
/// `"Attestation de stage Été.PDF"` → `"attestation-de-stage-ete.pdf"`.
pub fn slugify_file_name(name: &str) -> String {
    let name: String = name.nfc().collect();
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_alphanumeric()) =>
        {
            let stem = slugify(stem);
            let stem = if stem.is_empty() {
                "fichier".to_owned()
            } else {
                stem
            };
            format!("{stem}.{}", slugify(ext))
        }
        _ => {
            let s = slugify(&name);
            if s.is_empty() {
                "fichier".to_owned()
            } else {
                s
            }
        }
    }
}

/// Slugify each component of a `/`-separated relative path, keeping extensions.
pub fn slugify_path(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(slugify_file_name)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_titles() {
        assert_eq!(
            slugify("Déploiement d'un serveur GLPI"),
            "deploiement-d-un-serveur-glpi"
        );
        assert_eq!(
            slugify("Déploiement d’un serveur GLPI"),
            "deploiement-d-un-serveur-glpi"
        );
        assert_eq!(
            slugify("Cœur de réseau — VLAN & ACL"),
            "coeur-de-reseau-vlan-acl"
        );
        assert_eq!(slugify("  Œuvre  "), "oeuvre");
        assert_eq!(slugify("Mise à jour n°2"), "mise-a-jour-no2");
    }

    #[test]
    fn nfd_and_nfc_give_the_same_slug() {
        let nfd = "Re\u{301}seau e\u{301}te\u{301}";
        assert_eq!(slugify(nfd), slugify("Réseau été"));
        assert_eq!(slugify_file_name(nfd), "reseau-ete");
    }

    #[test]
    fn file_names_keep_their_extension() {
        assert_eq!(
            slugify_file_name("Attestation de stage Été.PDF"),
            "attestation-de-stage-ete.pdf"
        );
        assert_eq!(
            slugify_file_name("schéma réseau.drawio.png"),
            "schema-reseau-drawio.png"
        );
        assert_eq!(slugify_file_name(".htaccess"), "htaccess");
        assert_eq!(
            slugify_path("documents/Procédure GLPI.pdf"),
            "documents/procedure-glpi.pdf"
        );
    }
}
