//! Embeds every canned query of `queries/` in the binary, in name order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=queries");
    // (read when the script runs: a script built in another checkout must not read that one)
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("queries");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("queries/ exists")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "rq").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    let mut code =
        String::from("/// Canned queries: (name, text).\npub const CANNED: &[(&str, &str)] = &[\n");
    for name in names {
        let path = dir.join(format!("{name}.rq"));
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("canned_queries.rs");
    std::fs::write(out, code).unwrap();
}
