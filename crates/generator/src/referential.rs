//! The competence referential: which competences exist, their official wording, and
//! the sections of the synthesis table. It is data (`referentials/*.toml`), so that
//! another block or diploma is a new file, not a change to the pipeline.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::slug::slugify;

/// A referential: the competences a dossier must cover and the table's sections.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Referential {
    /// Stable identifier.
    pub id: String,
    /// Diploma name as printed at the top of the table.
    pub diploma: String,
    /// Name of the block.
    pub block: String,
    /// Name of the exam.
    pub exam: String,
    /// Code prefix (`B1`): codes are `B1.1`, sub-competences `B1.1.1`.
    pub prefix: String,
    /// Competences, in table order.
    pub competences: Vec<Competence>,
    /// The table's sections (contexts of a réalisation), in order.
    pub contexts: Vec<ContextDef>,
}

/// One competence with its sub-competences.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Competence {
    /// `B1.1`.
    pub code: String,
    /// Official wording.
    pub title: String,
    /// Official wording of each sub-competence; the n-th is code `B1.1.n`.
    pub subs: Vec<String>,
}

/// One section of the table: where a réalisation took place.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ContextDef {
    /// `formation`, `stage-1`, `stage-2`.
    pub id: String,
    /// Section title as printed in the table.
    pub title: String,
    /// Short label for the site.
    pub short: String,
    /// Other spellings students use.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A resolved competence code: which competence, and which sub-competence if one was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CompetenceRef {
    /// Index into [`Referential::competences`].
    pub competence: usize,
    /// Index into that competence's `subs`, if a sub-competence was named.
    pub sub: Option<usize>,
}

impl Referential {
    /// The built-in BTS SIO Bloc 1 referential.
    pub fn bts_sio_bloc1() -> &'static Referential {
        static REF: OnceLock<Referential> = OnceLock::new();
        REF.get_or_init(|| {
            toml::from_str(include_str!("../referentials/bts-sio-bloc1.toml"))
                .expect("the built-in referential is valid TOML (checked by a unit test)")
        })
    }

    /// Code of a sub-competence: `B1.1.3`.
    pub fn sub_code(&self, r: CompetenceRef) -> String {
        let c = &self.competences[r.competence];
        match r.sub {
            Some(s) => format!("{}.{}", c.code, s + 1),
            None => c.code.clone(),
        }
    }

    /// Every valid code, competences and sub-competences.
    pub fn all_codes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in self.competences.iter().enumerate() {
            out.push(c.code.clone());
            for s in 0..c.subs.len() {
                out.push(self.sub_code(CompetenceRef {
                    competence: i,
                    sub: Some(s),
                }));
            }
        }
        out
    }

    /// Resolve what a student wrote (`B1.1`, `b1.1.2`, `C3`, `1.4`, `B1.2 - Répondre…`).
    /// On failure, returns the nearest valid code for the message.
    pub fn resolve_code(&self, raw: &str) -> Result<CompetenceRef, Option<String>> {
        let token = raw
            .trim()
            .split(|c: char| c.is_whitespace() || c == ':')
            .next()
            .unwrap_or("")
            .trim_end_matches(['.', ',', '-', ';'])
            .to_uppercase()
            .replace('-', ".");
        let canonical = if let Some(n) = token
            .strip_prefix('C')
            .filter(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        {
            format!("{}.{n}", self.prefix)
        } else if token.starts_with(|c: char| c.is_ascii_digit()) {
            // "1.1" or "1.1.2": the block number is implied.
            if token.contains('.') {
                format!("B{token}")
            } else {
                format!("{}.{token}", self.prefix)
            }
        } else {
            token
        };
        for (i, c) in self.competences.iter().enumerate() {
            if canonical == c.code {
                return Ok(CompetenceRef {
                    competence: i,
                    sub: None,
                });
            }
            if let Some(n) = canonical.strip_prefix(&format!("{}.", c.code))
                && let Ok(n) = n.parse::<usize>()
                && (1..=c.subs.len()).contains(&n)
            {
                return Ok(CompetenceRef {
                    competence: i,
                    sub: Some(n - 1),
                });
            }
        }
        // Out of range sub-competence (B1.1.9): point at its competence.
        if let Some(c) = self
            .competences
            .iter()
            .find(|c| canonical.starts_with(&format!("{}.", c.code)))
        {
            return Err(Some(c.code.clone()));
        }
        // A well-formed number out of range (B1.7, B17) is no typo of B1.1: naming the
        // nearest would put a competence the student never meant in the table.
        let letter = self.prefix.chars().next().unwrap_or('B');
        if canonical
            .strip_prefix(letter)
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit() || c == '.'))
        {
            return Err(None);
        }
        let codes = self.all_codes();
        let nearest = crate::diagnostic::nearest(&canonical, codes.iter().map(String::as_str))
            .map(str::to_owned);
        Err(nearest)
    }

    /// Resolve a context (`stage-1`, `Stage 1`, `1re année`…) to its index.
    pub fn resolve_context(&self, raw: &str) -> Result<usize, Option<String>> {
        let wanted = slugify(raw);
        for (i, ctx) in self.contexts.iter().enumerate() {
            if slugify(&ctx.id) == wanted || ctx.aliases.iter().any(|a| slugify(a) == wanted) {
                return Ok(i);
            }
        }
        Err(
            crate::diagnostic::nearest(&wanted, self.contexts.iter().map(|c| c.id.as_str()))
                .map(str::to_owned),
        )
    }

    /// Every context id, for messages.
    pub fn context_ids(&self) -> String {
        self.contexts
            .iter()
            .map(|c| format!("`{}`", c.id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> &'static Referential {
        Referential::bts_sio_bloc1()
    }

    #[test]
    fn builtin_referential_has_six_competences_and_three_sections() {
        assert_eq!(r().competences.len(), 6);
        assert_eq!(r().competences[0].subs.len(), 6);
        assert_eq!(r().competences[5].subs.len(), 4);
        assert_eq!(
            r().contexts
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["formation", "stage-1", "stage-2"]
        );
        assert_eq!(r().all_codes().len(), 6 + 6 + 3 + 3 + 3 + 3 + 4);
    }

    #[test]
    fn codes_and_aliases_resolve() {
        let c = |s| r().resolve_code(s).unwrap();
        assert_eq!(
            c("B1.1"),
            CompetenceRef {
                competence: 0,
                sub: None
            }
        );
        assert_eq!(
            c("b1.3"),
            CompetenceRef {
                competence: 2,
                sub: None
            }
        );
        assert_eq!(
            c("C6"),
            CompetenceRef {
                competence: 5,
                sub: None
            }
        );
        assert_eq!(
            c("1.4"),
            CompetenceRef {
                competence: 3,
                sub: None
            }
        );
        assert_eq!(
            c("B1.1.5"),
            CompetenceRef {
                competence: 0,
                sub: Some(4)
            }
        );
        assert_eq!(
            c("1.6.4"),
            CompetenceRef {
                competence: 5,
                sub: Some(3)
            }
        );
        assert_eq!(
            c("B1.2 - Répondre aux incidents"),
            CompetenceRef {
                competence: 1,
                sub: None
            }
        );
    }

    #[test]
    fn unknown_codes_suggest_the_nearest() {
        // Out of range: no competence is suggested; a typo of a letter still is.
        assert_eq!(r().resolve_code("B1.7"), Err(None));
        assert_eq!(r().resolve_code("B17"), Err(None));
        assert_eq!(r().resolve_code("BI.2"), Err(Some("B1.2".into())));
        assert_eq!(r().resolve_code("B1.2.9"), Err(Some("B1.2".into())));
        assert!(r().resolve_code("B1.1.7").is_err());
    }

    #[test]
    fn contexts_resolve_with_aliases() {
        assert_eq!(r().resolve_context("formation"), Ok(0));
        assert_eq!(r().resolve_context("Stage 1"), Ok(1));
        assert_eq!(r().resolve_context("stage-2"), Ok(2));
        assert_eq!(r().resolve_context("stage-3"), Err(Some("stage-1".into())));
    }
}
