//! Nothing lost, nothing leaked, nothing crashes: the reproducers of the hostile test, each on
//! the real binary. Output files (`-o`, `link --write`) keep devices, symbolic links, modes,
//! owners and line endings, and never replace an input; inputs are only regular files, under a
//! size limit, article texts only inside their facts file's tree; queries are bounded (nesting,
//! time, memory) and SERVICE is refused wherever it hides; what reaches a terminal has no
//! control characters; RDF/XML is well-formed or refused.

mod common;

use common::newskg;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

const SEED_FACTS: &str = "data/seed/facts.toml";
const SEED_TEXT: &str = "data/seed/article.txt";

/// A directory holding a copy of the seed's facts file and text.
fn seed_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SEED_FACTS, dir.path().join("facts.toml")).unwrap();
    std::fs::copy(SEED_TEXT, dir.path().join("article.txt")).unwrap();
    let facts = dir.path().join("facts.toml");
    (dir, facts)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_never_writes_over_its_input_however_it_is_spelled() {
    let (dir, facts) = seed_copy();
    let before = std::fs::read(&facts).unwrap();
    std::os::unix::fs::symlink("facts.toml", dir.path().join("alias.toml")).unwrap();
    for output in [
        facts.clone(),
        dir.path().join("./facts.toml"),
        dir.path().join("alias.toml"),
    ] {
        let o = newskg()
            .args(["export", "-i"])
            .arg(&facts)
            .arg("-o")
            .arg(&output)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("is an input of this command"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&facts).unwrap(), before);
    }
    // no temporary file is left behind
    assert_eq!(
        entries(dir.path()),
        ["alias.toml", "article.txt", "facts.toml"]
    );
}

#[test]
fn output_through_a_symlink_keeps_the_link_and_the_mode() {
    let (dir, facts) = seed_copy();
    let target = dir.path().join("graph.ttl");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("link.ttl");
    std::os::unix::fs::symlink("graph.ttl", &link).unwrap();
    newskg()
        .args(["export", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("@prefix")
    );
    assert_eq!(std::fs::metadata(&target).unwrap().mode() & 0o777, 0o644);
}

/// A file with another name (a hard link) is written into, so that both names see the new
/// content; a failed run leaves it as it was.
#[test]
fn a_hard_linked_output_keeps_its_other_names() {
    let (dir, facts) = seed_copy();
    let target = dir.path().join("graph.out");
    std::fs::write(&target, "old").unwrap();
    let other = dir.path().join("other-name.ttl");
    std::fs::hard_link(&target, &other).unwrap();
    newskg()
        .args(["export", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(&target)
        .assert()
        .success();
    let (a, b) = (
        std::fs::metadata(&target).unwrap(),
        std::fs::metadata(&other).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    assert!(std::fs::read_to_string(&other).unwrap().contains("@prefix"));
    // an export that fails as it writes (RDF/XML cannot carry U+0007) writes nothing into it
    let before = std::fs::read(&other).unwrap();
    let text = std::fs::read_to_string(&facts).unwrap().replace(
        "genre = \"opinion\"",
        "genre = \"opinion\"\ntitle = \"Bell\\u0007\"",
    );
    std::fs::write(&facts, text).unwrap();
    let o = newskg()
        .args(["export", "-f", "rdfxml", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("U+0007"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert!(
        !entries(dir.path())
            .iter()
            .any(|e| e.starts_with(".newskg-tmp"))
    );
}

#[test]
fn a_new_output_file_gets_the_umask_mode() {
    let (dir, facts) = seed_copy();
    let out = dir.path().join("new.nt");
    // through a shell, to set the umask of the process
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec {} export -f nt -i {} -o {}",
            assert_cmd::cargo::cargo_bin("newskg").display(),
            facts.display(),
            out.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::metadata(&out).unwrap().mode() & 0o777, 0o640);
}

#[test]
fn a_device_is_written_to_not_replaced() {
    let (_dir, facts) = seed_copy();
    for device in ["/dev/null", "/dev/stdout"] {
        newskg()
            .args(["export", "-i"])
            .arg(&facts)
            .args(["-o", device])
            .assert()
            .success();
    }
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // standard output redirected into a file (`>> log`): the export is added to it, and the
    // file stays the one the shell opened
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("log.txt");
    std::fs::write(&log, "before\n").unwrap();
    let inode = std::fs::metadata(&log).unwrap().ino();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
        .args(["export", "-f", "nt", "-o", "/dev/stdout", "-i"])
        .arg(&facts)
        .stdout(std::fs::OpenOptions::new().append(true).open(&log).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("before\n<"), "{}", &text[..40]);
    assert_eq!(std::fs::metadata(&log).unwrap().ino(), inode);
    assert_eq!(entries(logs.path()), ["log.txt"]);
    // `-o -` is standard output, not a file named `-`
    let dir = tempfile::tempdir().unwrap();
    let o = newskg()
        .current_dir(dir.path())
        .args(["export", "-f", "nt", "-o", "-", "-i"])
        .arg(std::fs::canonicalize(&facts).unwrap())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(o.stdout.starts_with(b"<"));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn as_root_an_output_file_keeps_its_owner() {
    if !is_root() {
        eprintln!("skipped: only root can give a file to another user");
        return;
    }
    let (dir, facts) = seed_copy();
    let out = dir.path().join("theirs.ttl");
    std::fs::write(&out, "old").unwrap();
    std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    newskg()
        .args(["export", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o777),
        (65534, 65534, 0o640)
    );
}

#[test]
fn as_a_normal_user_an_output_file_keeps_its_mode() {
    // as root, run the binary as `nobody` (setpriv, from util-linux); as a normal user, directly
    let (dir, facts) = seed_copy();
    let out = dir.path().join("mine.ttl");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o604)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("newskg");
    let mut command = if is_root() {
        if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("skipped: no setpriv to run as a normal user");
            return;
        }
        for p in [dir.path(), &out, &facts, &dir.path().join("article.txt")] {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let o = command
        .args(["export", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o604);
    assert!(std::fs::read_to_string(&out).unwrap().contains("@prefix"));
}

#[test]
fn stale_temporary_files_are_removed_by_the_next_write() {
    let (dir, facts) = seed_copy();
    // a temporary file of a killed process (no process has this pid)
    let stale = dir.path().join(".newskg-tmp.4294967295.0000");
    std::fs::write(&stale, "half an export").unwrap();
    newskg()
        .args(["export", "-i"])
        .arg(&facts)
        .arg("-o")
        .arg(dir.path().join("out.ttl"))
        .assert()
        .success();
    assert!(!stale.exists());
}

#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    // a corpus that takes a while to export: 30 copies of the seed under their own ids
    let (dir, facts) = seed_copy();
    let text = std::fs::read_to_string(&facts).unwrap();
    std::fs::remove_file(&facts).unwrap();
    for i in 0..30 {
        let copy = text.replace(
            "id = \"azerbaijan-abraham-accords\"",
            &format!("id = \"copy-{i:02}\""),
        );
        std::fs::write(dir.path().join(format!("a{i:02}.toml")), copy).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newskg"))
        .args(["export", "-f", "rdfxml", "-i"])
        .arg(dir.path())
        .arg("-o")
        .arg(out.path().join("out.rdf"))
        .spawn()
        .unwrap();
    // wait for the temporary file, then interrupt
    let started = std::time::Instant::now();
    while entries(out.path()).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(entries(out.path())[0].starts_with(".newskg-tmp."));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted, not finished");
    assert!(entries(out.path()).is_empty(), "{:?}", entries(out.path()));
}

#[test]
fn link_write_keeps_crlf_and_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/cases/good/article.txt",
        dir.path().join("article.txt"),
    )
    .unwrap();
    let minimal = std::fs::read_to_string("tests/cases/good/minimal.toml").unwrap();
    // an entity the catalog links, without its Wikidata ID
    let text = minimal.replace("wikidata = \"Q227\"\n", "");
    assert_ne!(
        text, minimal,
        "the fixture declares Azerbaijan's Wikidata ID"
    );
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let facts = dir.path().join("minimal.toml");
    std::fs::write(&facts, &crlf).unwrap();
    let o = newskg()
        .args(["link", "--write", "-i"])
        .arg(&facts)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let after = std::fs::read(&facts).unwrap();
    assert!(after.starts_with("\u{feff}".as_bytes()));
    let after = String::from_utf8(after).unwrap();
    assert!(after.contains("Q227"), "{after}");
    let lf = after.matches('\n').count();
    assert_eq!(after.matches("\r\n").count(), lf, "every line ends in CRLF");
}

#[test]
fn an_article_text_outside_the_facts_directory_is_refused_without_its_content() {
    let (dir, facts) = seed_copy();
    let inner = dir.path().join("corpus");
    std::fs::create_dir(&inner).unwrap();
    std::fs::write(
        dir.path().join("secret.txt"),
        "root:SECRETHASH:19000:0:99999:7:::",
    )
    .unwrap();
    let text = std::fs::read_to_string(&facts).unwrap();
    for (name, path) in [("up.toml", "../secret.txt"), ("abs.toml", "/etc/passwd")] {
        let f = inner.join(name);
        std::fs::write(
            &f,
            text.replace("text = \"article.txt\"", &format!("text = \"{path}\""))
                .replacen("quote = \"", "quote = \"root:", 1),
        )
        .unwrap();
        for command in ["check", "coverage", "export"] {
            let o = newskg().arg(command).arg("-i").arg(&f).output().unwrap();
            assert_eq!(o.status.code(), Some(1), "{command} {path}");
            let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
            assert!(
                all.contains("is outside the facts file's directory"),
                "{all}"
            );
            assert!(
                !all.contains("SECRETHASH") && !all.contains("/bin/"),
                "{all}"
            );
        }
    }
    // allowed with a --text-root above both
    let f = inner.join("up.toml");
    let o = newskg()
        .args(["check", "--text-root"])
        .arg(dir.path())
        .arg("-i")
        .arg(&f)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("quote"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("is outside"));
}

#[test]
fn only_regular_files_are_read_and_never_block() {
    let (dir, facts) = seed_copy();
    let fifo = dir.path().join("pipe.toml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = newskg()
        .args(["check", "-i"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a FIFO"), "{}", stderr(&o));
    // a text that is a device, through a link inside the directory
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    let text = std::fs::read_to_string(&facts)
        .unwrap()
        .replace("text = \"article.txt\"", "text = \"zero.txt\"");
    std::fs::write(&facts, text).unwrap();
    let o = newskg()
        .args(["check", "-i"])
        .arg(&facts)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn an_input_over_the_size_limit_is_refused() {
    let (_dir, facts) = seed_copy();
    let o = newskg()
        .args(["check", "--max-file-size", "1000", "-i"])
        .arg(&facts)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("over the limit of 1000 bytes"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-file-size"));
}

#[test]
fn a_walk_follows_no_symlink_cycle_and_reads_each_file_once() {
    let (dir, _facts) = seed_copy();
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    let o = newskg()
        .args(["check", "-i"])
        .arg(dir.path())
        .arg("-i")
        .arg(dir.path().join("facts.toml"))
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.matches("ok  ").count(), 1, "{stdout}");
}

#[test]
fn a_huge_table_cell_is_cut_not_a_panic() {
    let o = newskg()
        .args([
            "query",
            "SELECT (GROUP_CONCAT(?q) AS ?a) WHERE { ?f nkg:quote ?q . ?g nkg:quote ?r }",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("more characters; -f csv"));
    // machine formats write it whole
    let o = newskg()
        .args([
            "query",
            "-f",
            "tsv",
            "SELECT (GROUP_CONCAT(?q) AS ?a) WHERE { ?f nkg:quote ?q . ?g nkg:quote ?r }",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(o.stdout.len() > 1_000_000);
}

#[test]
fn deep_queries_are_refused_not_a_stack_overflow() {
    let union = (0..5000)
        .map(|i| format!("{{ ?s ?p {i} }}"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    let cases = [
        format!("SELECT * WHERE {{ {union} }}"),
        format!("SELECT * WHERE {}{}", "{".repeat(5000), "}".repeat(5000)),
        format!("SELECT ({} AS ?x) {{}}", vec!["1"; 50_000].join("+")),
        format!("ASK {{ FILTER({}true) }}", "!".repeat(100_000)),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, q) in cases.iter().enumerate() {
        let file = dir.path().join(format!("q{i}.rq"));
        std::fs::write(&file, q).unwrap();
        let o = newskg().arg("query").arg(&file).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "case {i}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("deeper than") || stderr(&o).contains("operators deep"),
            "case {i}: {}",
            stderr(&o)
        );
        let o = newskg()
            .args(["queries", "--show"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "show, case {i}");
    }
    // within the limits, a long UNION runs
    let union = (0..500)
        .map(|i| format!("{{ ?s nkg:confidence {i} }}"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    newskg()
        .arg("query")
        .arg(format!("SELECT * WHERE {{ {union} }}"))
        .assert()
        .success();
}

#[test]
fn a_query_stops_at_its_time_and_memory_limits() {
    let cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let o = newskg()
        .args(["query", "--timeout", "1", cross])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("time limit of 1 s"), "{}", stderr(&o));
    let sort = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f";
    let o = newskg()
        .args(["query", "--max-memory", "200", "-f", "csv", sort])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("memory limit of 200 MiB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn service_is_refused_wherever_it_hides() {
    for q in [
        "SELECT * WHERE { BIND(EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } AS ?x) }",
        "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING(EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } })",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } })",
    ] {
        let o = newskg().args(["query", q]).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{q}");
        assert!(stderr(&o).contains("add --service"), "{q}: {}", stderr(&o));
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let (dir, facts) = seed_copy();
    let text = std::fs::read_to_string(&facts).unwrap().replace(
        "genre = \"opinion\"",
        "genre = \"opinion\"\ntitle = \"Bell\\u0007 \\u001b[31mred\"",
    );
    std::fs::write(&facts, text).unwrap();
    let o = newskg()
        .args(["query", "-i"])
        .arg(&facts)
        .arg("SELECT ?t WHERE { ?a dcterms:title ?t }")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout}"
    );
    assert!(stdout.contains("\\u{1B}[31mred"), "{stdout}");
    // and in messages: a file name with an escape sequence
    let name = dir.path().join("bad\u{1b}[2J.toml");
    std::fs::write(&name, "[article]\nid = 1\n").unwrap();
    let o = newskg().args(["check", "-i"]).arg(&name).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains('\u{1b}'), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad\\u{1B}[2J.toml"), "{}", stderr(&o));
    // and in the lines of a check that passes
    let good = dir.path().join("good\u{1b}[2J.toml");
    std::fs::copy(&facts, &good).unwrap();
    let o = newskg().args(["check", "-i"]).arg(&good).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("ok  ") && stdout.contains("good\\u{1B}[2J.toml"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    // RDF/XML cannot carry U+0007: refused, saying which character
    let o = newskg()
        .args(["export", "-f", "rdfxml", "-i"])
        .arg(&facts)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("U+0007"), "{}", stderr(&o));
    // the formats that can escape it do
    newskg()
        .args(["export", "-f", "nt", "-i"])
        .arg(&facts)
        .assert()
        .success()
        .stdout(predicates::str::contains("Bell\\u0007"));
}
