//! The layout of `src/` keeps its promises (README, Development): each stage imports only from
//! the stages before it (so there is no import circle), and no file grows past 600 lines.

use std::path::Path;

/// The modules of the library, earliest first; a module may use those of its own layer and of
/// the layers before it.
const LAYERS: &[&[&str]] = &[
    &["error", "vocab", "suggest", "lexical", "files", "output"],
    &["ontology", "model"],
    &["catalog"],
    &["input"],
    &["validate"],
    &["pipeline"],
    &["mapping"],
    &["store"],
    &["export"],
    &["query"],
    &["link", "coverage", "draft"],
    &["serve", "remote"],
    &["commands"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file below `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn stages_import_only_from_earlier_stages_and_files_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        let lines = text.lines().count();
        if lines > 600 {
            problems.push(format!(
                "{}: {lines} lines (at most 600)",
                relative.display()
            ));
        }
        let first = relative.components().next().unwrap();
        let module = Path::new(first.as_os_str())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if matches!(module.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        let own = layer(&module).unwrap_or_else(|| panic!("src/{module} is in no layer"));
        for (n, line) in text.lines().enumerate() {
            // (a comment may name any stage)
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let used: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                match layer(&used) {
                    Some(l) if l > own => problems.push(format!(
                        "{}:{}: `{module}` uses `{used}`, a later stage",
                        relative.display(),
                        n + 1
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
