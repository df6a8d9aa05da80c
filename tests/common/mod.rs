//! Test helpers: copy a portfolio to a temporary folder, run the real `folio`
//! binary on it, and read what it wrote (parsed HTML, the .xlsx through calamine).

#![allow(dead_code, unreachable_pub)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use scraper::{Html, Selector};

pub mod browser;
pub mod http;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A portfolio in a temporary folder.
pub struct Portfolio {
    pub tmp: std::rc::Rc<tempfile::TempDir>,
}

impl Portfolio {
    /// A copy of `example-portfolio`.
    pub fn example() -> Portfolio {
        Self::copy_of(&repo().join("example-portfolio"))
    }

    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Portfolio {
        Self::copy_of(&repo().join("tests/fixtures").join(name))
    }

    /// An empty portfolio with a minimal valid `portfolio.toml`.
    pub fn minimal() -> Portfolio {
        let p = Portfolio {
            tmp: std::rc::Rc::new(tempfile::tempdir().unwrap()),
        };
        p.write(
            "portfolio.toml",
            "title = \"Test\"\nbase_url = \"https://test.github.io/portfolio/\"\n[candidate]\nname = \"TEST Alex\"\noption = \"SLAM\"\nsession = 2026\n",
        );
        p.write("content/index.md", "---\ntitle: Accueil\n---\nBonjour.\n");
        p
    }

    fn copy_of(src: &Path) -> Portfolio {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(src, tmp.path());
        let _ = std::fs::remove_dir_all(tmp.path().join("public"));
        Portfolio {
            tmp: std::rc::Rc::new(tmp),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Write a file (creating folders).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.tmp.path().join(rel)).unwrap();
    }

    /// Run `folio ARGS` with this portfolio as working directory.
    pub fn folio(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        Run {
            out,
            dir: self.path().to_owned(),
        }
    }

    /// `folio build`, which must succeed.
    pub fn build(&self) -> Site {
        self.build_with(&["build"])
    }

    /// `folio build --ignore-checks`, for partial portfolios that test one feature and
    /// would not pass the dossier checks (coverage of all six competences…).
    pub fn build_unchecked(&self) -> Site {
        self.build_with(&["build", "--ignore-checks"])
    }

    fn build_with(&self, args: &[&str]) -> Site {
        let run = self.folio(args);
        assert!(run.ok(), "folio build failed:\n{}", run.stderr());
        Site {
            root: self.path().join("public"),
            _keep: self.tmp.clone(),
        }
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
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

pub struct Run {
    pub out: Output,
    pub dir: PathBuf,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.out.status.success()
    }
    pub fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    /// What a person sees in the terminal: diagnostics (stderr) and reports (stdout).
    pub fn all(&self) -> String {
        self.stderr() + &self.stdout()
    }
}

/// A built site.
pub struct Site {
    pub root: PathBuf,
    /// Keeps the portfolio's temporary folder alive as long as the site.
    _keep: std::rc::Rc<tempfile::TempDir>,
}

impl Site {
    /// A site already built at `root` (the caller keeps the portfolio alive).
    pub fn at(root: PathBuf) -> Site {
        Site {
            root,
            _keep: std::rc::Rc::new(tempfile::tempdir().unwrap()),
        }
    }

    /// Parse an output HTML file (`realisations/glpi/index.html`).
    pub fn html(&self, rel: &str) -> Html {
        let text =
            std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }

    /// Every HTML file, relative.
    pub fn html_files(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in walkdir(&self.root) {
            if e.extension().is_some_and(|x| x == "html") {
                out.push(
                    e.strip_prefix(&self.root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
        out.sort();
        out
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// The output file a site URL path (`/portfolio/x/`) points to.
    pub fn file_for_url(&self, url: &str, base: &str) -> Option<PathBuf> {
        let path = url.split(['#', '?']).next().unwrap();
        let rel = path.strip_prefix(base)?;
        let p = if rel.is_empty() || rel.ends_with('/') {
            self.root.join(rel).join("index.html")
        } else {
            self.root.join(rel)
        };
        p.is_file().then_some(p)
    }

    pub fn xlsx(&self) -> Table {
        Table::from_bytes(std::fs::read(self.root.join("tableau-de-synthese.xlsx")).unwrap())
    }
}

pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Texts matching a CSS selector.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// An attribute of every element matching a selector.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// A generated table, read back with calamine, plus the raw sheet XML for what
/// calamine does not expose (column widths, print setup).
pub struct Table {
    pub bytes: Vec<u8>,
    pub cells: calamine::Range<Data>,
    pub merged: Vec<String>,
    pub sheet_name: String,
    pub sheet_xml: String,
}

impl Table {
    pub fn from_bytes(bytes: Vec<u8>) -> Table {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        let names = wb.sheet_names().to_vec();
        assert_eq!(names.len(), 1, "one sheet");
        let cells = wb.worksheet_range(&names[0]).unwrap();
        let merged = wb
            .merge_cells_by_sheet_name(&names[0])
            .unwrap()
            .iter()
            .map(|d| format!("{}:{}", a1(d.start), a1(d.end)))
            .collect();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
        let mut sheet_xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet_xml,
        )
        .unwrap();
        Table {
            bytes,
            cells,
            merged,
            sheet_name: names[0].clone(),
            sheet_xml,
        }
    }

    /// Text of a cell given in A1 notation ("" when empty).
    pub fn at(&self, cell: &str) -> String {
        let (r, c) = parse_a1(cell);
        match self.cells.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// Stored width of a column (1-based).
    pub fn column_width(&self, col: u32) -> f64 {
        let cols = self
            .sheet_xml
            .split("<cols>")
            .nth(1)
            .unwrap()
            .split("</cols>")
            .next()
            .unwrap();
        for c in cols.split("<col ").skip(1) {
            let num = |k: &str| -> f64 {
                let v = c
                    .split(&format!("{k}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                v.parse().unwrap()
            };
            if (num("min") as u32..=num("max") as u32).contains(&col) {
                return num("width");
            }
        }
        panic!("no width for column {col}");
    }

    /// Stored height of a row (1-based), in points.
    pub fn row_height(&self, row: u32) -> f64 {
        let tag = format!("<row r=\"{row}\"");
        let rest = self
            .sheet_xml
            .split(&tag)
            .nth(1)
            .unwrap_or_else(|| panic!("no row {row}"));
        let head = rest.split('>').next().unwrap();
        head.split("ht=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }
}

pub fn a1((r, c): (u32, u32)) -> String {
    format!("{}{}", (b'A' + c as u8) as char, r + 1)
}

pub fn parse_a1(cell: &str) -> (u32, u32) {
    let col = cell.as_bytes()[0] - b'A';
    let row: u32 = cell[1..].parse().unwrap();
    (row - 1, col as u32)
}
