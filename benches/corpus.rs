//! The synthetic corpus of the benchmarks: `n` réalisations of about 600 words of
//! French Markdown (headings, a list, a table, a link, one fenced code block each),
//! as a folio portfolio and as the same pages for Hugo. Shared by `benches/compare.rs`
//! and the dev server's `reload` bench, so both measure the same pages.

#![allow(dead_code)]

use std::path::Path;

pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

const CONTEXTS: [&str; 3] = ["formation", "stage-1", "stage-2"];

const WORDS: [&str; 48] = [
    "serveur",
    "réseau",
    "utilisateur",
    "sauvegarde",
    "déploiement",
    "configuration",
    "sécurité",
    "annuaire",
    "poste",
    "incident",
    "procédure",
    "documentation",
    "étape",
    "matériel",
    "logiciel",
    "mise",
    "à",
    "jour",
    "le",
    "la",
    "les",
    "des",
    "une",
    "un",
    "avec",
    "pour",
    "dans",
    "était",
    "été",
    "après",
    "équipe",
    "problème",
    "résolu",
    "client",
    "besoin",
    "analyse",
    "test",
    "validé",
    "accès",
    "droits",
    "compte",
    "messagerie",
    "imprimante",
    "commutateur",
    "VLAN",
    "pare-feu",
    "supervision",
    "ticket",
];

/// `count` words of French chosen deterministically from `seed`, as sentences.
fn prose(seed: usize, count: usize) -> String {
    let mut s = String::new();
    let mut x = seed.wrapping_mul(2654435761).wrapping_add(1);
    for k in 0..count {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = WORDS[x % WORDS.len()];
        if k % 12 == 0 {
            let mut c = w.chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            s.push_str(&first);
            s.push_str(c.as_str());
        } else {
            s.push_str(w);
        }
        s.push_str(if k % 12 == 11 { ". " } else { " " });
        if k % 60 == 59 {
            s.push_str("\n\n");
        }
    }
    s.trim_end().to_owned() + ".\n"
}

/// The body of réalisation `i`; `link` is the address of the "veille" page.
fn body(i: usize, link: &str) -> String {
    format!(
        "## Contexte\n\n{}\n## Démarche\n\n{}\n- Analyse du besoin avec le client {i}\n- Maquette et validation\n- Déploiement sur le serveur `srv-{i}`\n- Recette et documentation\n\n\
| Étape | Durée | Résultat |\n|---|---:|---|\n| Analyse | 2 h | validée |\n| Déploiement | 4 h | en production |\n| Recette | 1 h | {i} tests passés |\n\n\
```bash\n#!/bin/bash\n# Sauvegarde du serveur {i}\nset -euo pipefail\nfor base in glpi wiki; do\n  mysqldump --single-transaction \"$base\" > \"/srv/sauvegarde/$base-{i}.sql\"\ndone\nsystemctl restart service-{i}\necho \"terminé : $(date)\"\n```\n\n\
## Bilan\n\n{}\nVoir aussi [la veille]({link}).\n",
        prose(i, 220),
        prose(i + 7919, 220),
        prose(i + 104729, 110),
    )
}

fn writer(root: &Path) -> impl Fn(&str, String) + '_ {
    move |rel: &str, text: String| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A portfolio with `n` réalisations spread over the three sections and six competences.
pub(crate) fn generate(root: &Path, n: usize) {
    let w = writer(root);
    w("portfolio.toml", "title = \"Banc d'essai\"\nbase_url = \"https://banc.github.io/portfolio/\"\n[candidate]\nname = \"BANC Essai\"\noption = \"SISR\"\nsession = 2026\n".into());
    w(
        "content/index.md",
        "---\ntitle: Accueil\n---\nBonjour.\n".into(),
    );
    w(
        "content/veille.md",
        "---\ntitle: Veille\n---\nVeille.\n".into(),
    );
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        w(
            &format!("content/realisations/r{i:05}.md"),
            format!(
                "---\ntitle: Réalisation {i:05}\ncontext: {}\nstart: 2025-{month:02}-{day:02}\nend: 2025-{month:02}-{day:02}\ncompetences: [B1.{}, B1.{}.1]\ntechnologies: [Debian, GLPI]\n---\n{}",
                CONTEXTS[i % 3],
                1 + i % 6,
                1 + (i + 2) % 6,
                body(i, "../veille.md")
            ),
        );
    }
}

/// The same pages as a Hugo site with minimal layouts (a menu, a list, the pages),
/// served under the same sub-path; Hugo highlights code fences by default.
pub(crate) fn generate_hugo(root: &Path, n: usize) {
    let w = writer(root);
    w("hugo.toml", "baseURL = \"https://banc.github.io/portfolio/\"\ntitle = \"Banc d'essai\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n".into());
    w("layouts/_default/baseof.html", "<!doctype html><html lang=\"fr\"><head><title>{{ .Title }}</title></head><body><nav>{{ range .Site.Menus.main }}{{ .Name }}{{ end }}</nav>{{ block \"main\" . }}{{ end }}</body></html>".into());
    w(
        "layouts/_default/single.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}".into(),
    );
    w("layouts/_default/list.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}".into());
    w(
        "layouts/index.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ end }}".into(),
    );
    w("content/_index.md", "---\ntitle: Accueil\n---\n".into());
    w(
        "content/veille.md",
        "---\ntitle: Veille\n---\nVeille.\n".into(),
    );
    for i in 0..n {
        w(
            &format!("content/realisations/r{i:05}.md"),
            format!(
                "---\ntitle: Réalisation {i:05}\ndate: 2025-01-01\n---\n{}",
                body(i, "/portfolio/veille/")
            ),
        );
    }
}

/// Words in réalisation `i`'s body, for the benchmark's description.
pub(crate) fn words(i: usize) -> usize {
    body(i, "x").split_whitespace().count()
}
