//! The README's examples are real: every ```console block's `$ newskg …` commands are run and
//! their output (standard output, then standard error) compared with what the README shows.
//! A command may end in `| head -n N` to show only the first N lines.

mod common;

/// Splits a command line the way a POSIX shell would for our simple examples: single and double
/// quotes group words, no other expansion.
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

struct Example {
    line: usize,
    command: String,
    expected: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_console = false;
    let mut current: Option<Example> = None;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```console") {
            in_console = true;
            continue;
        }
        if !in_console {
            continue;
        }
        if line.starts_with("```") {
            in_console = false;
            out.extend(current.take());
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            out.extend(current.take());
            current = Some(Example {
                line: i + 1,
                command: command.to_string(),
                expected: String::new(),
            });
        } else if let Some(e) = current.as_mut() {
            e.expected.push_str(line);
            e.expected.push('\n');
        }
    }
    out
}

#[test]
fn readme_examples_show_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let examples: Vec<Example> = examples(&readme)
        .into_iter()
        .filter(|e| e.command.starts_with("newskg "))
        .collect();
    assert!(examples.len() >= 8, "the README shows every command");
    for e in examples {
        let (command, head) = match e.command.split_once(" | head -n ") {
            Some((c, n)) => (c.to_string(), Some(n.trim().parse::<usize>().unwrap())),
            None => (e.command.clone(), None),
        };
        let words = split(&command);
        let output = common::newskg().args(&words[1..]).output().unwrap();
        let mut actual = String::from_utf8_lossy(&output.stdout).into_owned();
        actual.push_str(&String::from_utf8_lossy(&output.stderr));
        // CSV results end lines with CRLF, as the standard says; the README shows plain lines.
        actual = actual.replace("\r\n", "\n");
        if let Some(n) = head {
            actual = actual.lines().take(n).map(|l| format!("{l}\n")).collect();
        }
        assert_eq!(
            actual, e.expected,
            "README.md line {}: `{}` prints something else",
            e.line, e.command
        );
    }
}

#[test]
fn splitting() {
    assert_eq!(
        split(r#"newskg query 'SELECT ?s { ?s a "x y" }' -p a=b"#),
        ["newskg", "query", "SELECT ?s { ?s a \"x y\" }", "-p", "a=b"]
    );
}
