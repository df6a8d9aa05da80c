//! Full build of a generated 1,000-réalisation portfolio, with `hugo` on the same
//! pages as a peer when it is installed. Run: `cargo bench -p folio-devserver --bench build`.
//! Both write their output to disk; medians of 10 runs after one warm-up.

use std::process::Command;
use std::time::Instant;

#[path = "portfolios.rs"]
mod portfolios;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let n = 1000;
    let folio = tempfile::tempdir().unwrap();
    portfolios::generate(folio.path(), n);
    let opts = folio_generator::build::BuildOptions {
        output_dir: None,
        ignore_checks: true,
        force: false,
        overrides: Default::default(),
        offline: false,
    };
    let mut times = Vec::new();
    for i in 0..11 {
        let t = Instant::now();
        let report = folio_generator::build::build(folio.path(), &opts).expect("builds");
        if i > 0 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        assert_eq!(report.realisations, n);
    }
    let folio_ms = median(times);
    println!(
        "folio build, {n} réalisations (site + tableau + vérifications) : médiane {folio_ms:.0} ms"
    );

    if Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let hugo = tempfile::tempdir().unwrap();
        portfolios::generate_hugo(hugo.path(), n);
        let mut times = Vec::new();
        for i in 0..11 {
            let t = Instant::now();
            let out = Command::new("hugo")
                .args(["--quiet", "--source"])
                .arg(hugo.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            if i > 0 {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        let hugo_ms = median(times);
        println!(
            "hugo, mêmes {n} pages : médiane {hugo_ms:.0} ms ; rapport folio / hugo : {:.1}×",
            folio_ms / hugo_ms
        );
    } else {
        println!("hugo absent : pas de comparaison (apt-get install hugo)");
    }
}
