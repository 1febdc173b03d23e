//! What bounds a query: how deep it may nest (checked on its text before it is parsed, and on
//! its algebra after), where SERVICE may hide (anywhere, expressions included), and how long
//! and how much memory its evaluation may take ([`Watchdog`]). Queries are parsed and evaluated
//! on a thread with a large stack ([`on_large_stack`]), so that what the limits admit never
//! overflows it.

use crate::error::{Diagnostic, Error, Result};
use crate::input::line_col;
use oxigraph::sparql::CancellationToken;
use spargebra::Query;
use spargebra::algebra::PropertyPathExpression;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// The deepest nesting of brackets (`{`, `(`, `[`) and unary `!`, `-`, `+` a query's text may
/// have.
pub const MAX_NESTING: usize = 256;

/// The deepest a query's algebra may be (a chain of 1,000 UNIONs, a sum of 1,000 terms).
pub const MAX_DEPTH: usize = 1000;

/// The stack of the thread queries are parsed and evaluated on.
const STACK: usize = 512 * 1024 * 1024;

/// Runs `f` on a thread with a large stack (its pages are only used as deep as `f` goes).
pub fn on_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("newskg-query".into())
            .stack_size(STACK)
            .spawn_scoped(scope, f)
        {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // no thread to be had: run here, the limits still apply
            Err(_) => unreachable_thread(),
        }
    })
}

#[cold]
fn unreachable_thread() -> ! {
    eprintln!("newskg: error: cannot start the query thread (out of memory or threads)");
    std::process::exit(1)
}

/// Refuses a query text that nests deeper than [`MAX_NESTING`] (before the parser recurses into
/// it), at the place where it goes too deep. Strings, IRIs and comments are skipped.
pub fn check_text(source: &str, text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut unary = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let long = bytes[i..].starts_with(&[b, b, b]);
                i += if long { 3 } else { 1 };
                while i < bytes.len() {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b && (!long || bytes[i..].starts_with(&[b, b, b])) {
                        i += if long { 3 } else { 1 };
                        break;
                    }
                    if !long && bytes[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
                unary = 0;
                continue;
            }
            b'<' => {
                // an IRI runs to `>` without spaces; otherwise `<` is "less than"
                let end = bytes[i + 1..].iter().position(|c| {
                    matches!(
                        c,
                        b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'"' | b'{' | b'}'
                    )
                });
                if let Some(n) = end
                    && bytes[i + 1 + n] == b'>'
                {
                    i += n + 2;
                    unary = 0;
                    continue;
                }
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            b'!' | b'-' | b'+' => unary += 1,
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => unary = 0,
        }
        if depth > MAX_NESTING || unary > MAX_NESTING {
            let (line, column) = line_col(text, i);
            return Err(Error::SparqlSyntax(Diagnostic {
                file: source.to_string(),
                line,
                column,
                message: format!(
                    "the query nests deeper than {MAX_NESTING} levels here; newskg refuses it rather than run out of stack (write it flatter: VALUES or IN for long lists)"
                ),
            }));
        }
        i += 1;
    }
    Ok(())
}

/// What a walk of a query's algebra found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The deepest chain of nested operators (patterns, expressions, paths).
    pub depth: usize,
    /// Whether a SERVICE appears anywhere (in a pattern, or in an EXISTS of an expression:
    /// FILTER, BIND, HAVING, ORDER BY, an aggregate, a SELECT expression).
    pub service: bool,
}

impl Shape {
    fn under(self, other: Shape) -> Shape {
        Shape {
            depth: self.depth.max(other.depth),
            service: self.service || other.service,
        }
    }

    fn deeper(self) -> Shape {
        Shape {
            depth: self.depth + 1,
            service: self.service,
        }
    }
}

/// The shape of a query.
pub fn shape(query: &Query) -> Shape {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    of_pattern(pattern)
}

/// Refuses a query whose algebra is deeper than [`MAX_DEPTH`].
pub fn check_depth(source: &str, shape: Shape) -> Result<()> {
    if shape.depth > MAX_DEPTH {
        return Err(Error::SparqlSyntax(Diagnostic {
            file: source.to_string(),
            line: 1,
            column: 1,
            message: format!(
                "the query is {} operators deep, over the limit of {MAX_DEPTH}; newskg refuses it rather than run out of stack (write it flatter: VALUES or IN for long lists, one UNION of a few branches)",
                shape.depth
            ),
        }));
    }
    Ok(())
}

fn of_pattern(p: &GraphPattern) -> Shape {
    let shape = match p {
        GraphPattern::Bgp { .. } | GraphPattern::Values { .. } => Shape::default(),
        GraphPattern::Path { path, .. } => of_path(path),
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => of_pattern(left).under(of_pattern(right)),
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            let s = of_pattern(left).under(of_pattern(right));
            expression.as_ref().map_or(s, |e| s.under(of_expression(e)))
        }
        GraphPattern::Filter { expr, inner } => of_pattern(inner).under(of_expression(expr)),
        GraphPattern::Extend {
            inner, expression, ..
        } => of_pattern(inner).under(of_expression(expression)),
        GraphPattern::OrderBy { inner, expression } => {
            expression.iter().fold(of_pattern(inner), |s, o| match o {
                OrderExpression::Asc(e) | OrderExpression::Desc(e) => s.under(of_expression(e)),
            })
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => aggregates
            .iter()
            .fold(of_pattern(inner), |s, (_, a)| match a {
                AggregateExpression::CountSolutions { .. } => s,
                AggregateExpression::FunctionCall { expr, .. } => s.under(of_expression(expr)),
            }),
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => of_pattern(inner),
        GraphPattern::Service { inner, .. } => Shape {
            service: true,
            ..of_pattern(inner)
        },
    };
    shape.deeper()
}

fn of_expression(e: &Expression) -> Shape {
    let all = |items: &mut dyn Iterator<Item = &Expression>| {
        items.fold(Shape::default(), |s, e| s.under(of_expression(e)))
    };
    let shape = match e {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => Shape::default(),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => of_expression(a).under(of_expression(b)),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            of_expression(a)
        }
        Expression::In(a, list) => of_expression(a).under(all(&mut list.iter())),
        Expression::Exists(p) => of_pattern(p),
        Expression::If(a, b, c) => of_expression(a)
            .under(of_expression(b))
            .under(of_expression(c)),
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => all(&mut list.iter()),
    };
    shape.deeper()
}

fn of_path(p: &PropertyPathExpression) -> Shape {
    let shape = match p {
        PropertyPathExpression::NamedNode(_) | PropertyPathExpression::NegatedPropertySet(_) => {
            Shape::default()
        }
        PropertyPathExpression::Reverse(a)
        | PropertyPathExpression::ZeroOrMore(a)
        | PropertyPathExpression::OneOrMore(a)
        | PropertyPathExpression::ZeroOrOne(a) => of_path(a),
        PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
            of_path(a).under(of_path(b))
        }
    };
    shape.deeper()
}

/// Why a [`Watchdog`] stopped a query.
const RUNNING: u8 = 0;
const TIMED_OUT: u8 = 1;
const OUT_OF_MEMORY: u8 = 2;

/// Limits of one query's evaluation: a time and a memory (the process's resident size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Budget {
    /// Stop the query after this long (`None`: no limit).
    pub timeout: Option<Duration>,
    /// Stop the query when the process's resident memory grows past this many bytes (`None`:
    /// no limit).
    pub max_memory: Option<u64>,
}

/// Watches a query's evaluation and cancels it when it runs past its [`Budget`].
pub struct Watchdog {
    token: CancellationToken,
    reason: Arc<AtomicU8>,
    done: Arc<std::sync::atomic::AtomicBool>,
    budget: Budget,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    /// Starts watching (a thread that looks every 20 ms); no thread when nothing is limited.
    pub fn start(budget: Budget) -> Watchdog {
        let token = CancellationToken::new();
        let reason = Arc::new(AtomicU8::new(RUNNING));
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = (budget.timeout.is_some() || budget.max_memory.is_some()).then(|| {
            let (token, reason, done) = (token.clone(), reason.clone(), done.clone());
            let started = Instant::now();
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if budget.timeout.is_some_and(|t| started.elapsed() >= t) {
                        reason.store(TIMED_OUT, Ordering::Relaxed);
                        token.cancel();
                        return;
                    }
                    if let Some(max) = budget.max_memory
                        && resident_bytes().is_some_and(|r| r > max)
                    {
                        reason.store(OUT_OF_MEMORY, Ordering::Relaxed);
                        token.cancel();
                        return;
                    }
                    std::thread::park_timeout(Duration::from_millis(20));
                }
            })
        });
        Watchdog {
            token,
            reason,
            done,
            budget,
            thread,
        }
    }

    /// The token the evaluation checks.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// The error to give when the evaluation was cancelled, saying which limit it reached.
    pub fn exceeded(&self, source: &str) -> Option<Error> {
        match self.reason.load(Ordering::Relaxed) {
            TIMED_OUT => Some(Error::Limit(format!(
                "{source}: the query ran past its time limit of {} s and was stopped (raise it with --timeout SECONDS, or 0 for none)",
                self.budget.timeout.unwrap_or_default().as_secs_f64()
            ))),
            OUT_OF_MEMORY => Some(Error::Limit(format!(
                "{source}: the query grew past the memory limit of {} MiB and was stopped (raise it with --max-memory MIB, or 0 for none; a LIMIT, or fewer results, may help)",
                self.budget.max_memory.unwrap_or_default() / (1024 * 1024)
            ))),
            _ => None,
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// A `KEY: N kB` value of a /proc file, in bytes (Linux).
fn proc_bytes(file: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(file).ok()?;
    let kib: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix(key))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The resident memory of this process.
fn resident_bytes() -> Option<u64> {
    proc_bytes("/proc/self/status", "VmRSS:")
}

/// The default memory limit of a query: half of the machine's physical memory (from
/// /proc/meminfo), or none where that cannot be read.
pub fn default_max_memory() -> Option<u64> {
    proc_bytes("/proc/meminfo", "MemTotal:").map(|b| b / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_text_is_refused_before_parsing() {
        let deep = format!("SELECT * WHERE {}{}", "{".repeat(300), "}".repeat(300));
        let e = check_text("<query>", &deep).unwrap_err();
        assert!(e.to_string().contains("deeper than 256"), "{e}");
        let nots = format!("ASK {{ FILTER({}true) }}", "!".repeat(100_000));
        assert!(check_text("<query>", &nots).is_err());
        // brackets inside strings, IRIs and comments do not count
        let quoted = format!(
            "SELECT * WHERE {{ ?s ?p \"{}\" . ?s <http://x/{}> ?o }} # {}",
            "(".repeat(500),
            "[".repeat(300),
            "{".repeat(500)
        );
        check_text("<query>", &quoted).unwrap();
    }

    #[test]
    fn service_is_found_inside_expressions() {
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        for q in [
            "SELECT * WHERE { BIND(EXISTS { SERVICE <http://x/> { ?s ?p ?o } } AS ?x) }",
            "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
            "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING(EXISTS { SERVICE <http://x/> { ?s ?p ?o } })",
            "SELECT * WHERE { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <http://x/> { ?s ?p ?o } })",
            "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?r FILTER NOT EXISTS { SERVICE <http://x/> {} } } }",
        ] {
            assert!(shape(&parse(q)).service, "{q}");
        }
        assert!(
            !shape(&parse(
                "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { ?s ?p 1 } }"
            ))
            .service
        );
    }

    #[test]
    fn a_long_union_chain_is_deep() {
        let q = (0..1500)
            .map(|i| format!("{{ ?s ?p {i} }}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        let q = format!("SELECT * WHERE {{ {q} }}");
        check_text("<query>", &q).unwrap();
        let parsed = on_large_stack(|| spargebra::SparqlParser::new().parse_query(&q).unwrap());
        let s = on_large_stack(|| shape(&parsed));
        assert!(s.depth > MAX_DEPTH);
        assert!(check_depth("<query>", s).is_err());
        on_large_stack(move || drop(parsed));
    }

    #[test]
    fn a_watchdog_stops_a_query_past_its_time() {
        let dog = Watchdog::start(Budget {
            timeout: Some(Duration::from_millis(1)),
            max_memory: None,
        });
        let token = dog.token();
        let started = Instant::now();
        while !token.is_cancelled() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let e = dog.exceeded("q").expect("timed out");
        assert!(e.to_string().contains("time limit"), "{e}");
        assert!(resident_bytes().unwrap() > 0);
    }
}
