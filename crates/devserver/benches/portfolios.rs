//! Portfolios for the benchmarks: a copy of a folder, and `n` generated réalisations
//! as a folio portfolio and as the same pages for Hugo.

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

fn body(i: usize) -> String {
    format!(
        "## Contexte\n\nRéalisation numéro {i} : mise en place d'un service pour une PME.\n\n## Démarche\n\n1. Analyse du besoin\n2. Maquette\n3. Déploiement\n\n```bash\nsudo systemctl restart service-{i}\n```\n\n## Bilan\n\nLe service fonctionne ; voir [la veille](../veille.md).\n"
    )
}

/// A portfolio with `n` réalisations spread over the three sections and six competences.
pub(crate) fn generate(root: &Path, n: usize) {
    let w = |rel: &str, text: String| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
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
            &format!("content/realisations/r{i:04}.md"),
            format!(
                "---\ntitle: Réalisation {i:04}\ncontext: {}\nstart: 2025-{month:02}-{day:02}\nend: 2025-{month:02}-{day:02}\ncompetences: [B1.{}, B1.{}.1]\ntechnologies: [Debian, GLPI]\n---\n{}",
                CONTEXTS[i % 3],
                1 + i % 6,
                1 + (i + 2) % 6,
                body(i)
            ),
        );
    }
}

/// The same 1,000 pages as a Hugo site with minimal layouts, served under the same sub-path.
pub(crate) fn generate_hugo(root: &Path, n: usize) {
    let w = |rel: &str, text: String| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("hugo.toml", "baseURL = \"https://banc.github.io/portfolio/\"\ntitle = \"Banc d'essai\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n".into());
    w("layouts/_default/baseof.html", "<!doctype html><html lang=\"fr\"><body><nav>{{ range .Site.Menus.main }}{{ .Name }}{{ end }}</nav>{{ block \"main\" . }}{{ end }}</body></html>".into());
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
            &format!("content/realisations/r{i:04}.md"),
            format!(
                "---\ntitle: Réalisation {i:04}\ndate: 2025-01-01\n---\n{}",
                body(i).replace("../veille.md", "/veille/")
            ),
        );
    }
}
