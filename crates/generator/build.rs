// The default theme and the starter portfolio are embedded with include_dir!, which cannot tell Cargo to
// rebuild when a theme file changes; this does.
fn main() {
    println!("cargo:rerun-if-changed=../../themes/default");
    println!("cargo:rerun-if-changed=../../starter");
}
