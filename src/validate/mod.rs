//! Checking, the second stage: takes one parsed facts file ([`ArticleFile`]) and the text it
//! points to, and gives a [`ValidArticle`] (terms resolved to IRIs, quotes placed in the text) or
//! every problem found, each at its place. What is checked is split by what it is about:
//! [`entities`] (classes, labels, Wikidata IDs, metonyms), [`facts`] (relations, events,
//! modality, sources, qualifiers, CAMEO codes, casualties), [`times`] (times as written, and what
//! they fix) and [`evidence`] (quotes in the text); the article's metadata and the links between
//! its claims are checked here. An article may use the entities of the corpus's [`registry`] without declaring
//! them; the checks across the files of a corpus are [`corpus`]'s. An RDF graph (an export, a
//! file given to `newskg check`) is checked against the SHACL shapes by [`shapes`].
//!
//! The ontology and the Wikidata catalog the checks consult are parameters: nothing here reaches
//! for the embedded ones.

pub mod corpus;
pub mod descriptions;
mod drafts;
mod entities;
pub mod evidence;
mod facts;
pub mod registry;
pub mod shapes;
mod suggestions;
mod times;
mod warnings;

use crate::catalog::Catalog;
use crate::error::Diagnostic;
use crate::input::facts::ArticleFile;
use crate::input::{SourceFile, SpanIndex, line_col};
use crate::lexical::{self, is_valid_id, language_ok, time_literal};
use crate::model::{FactKind, NoClaimPassage, QualifierValue, ValidArticle};
use crate::ontology::Ontology;
use crate::suggest::did_you_mean;
use crate::vocab;
use registry::Registry;
use std::collections::{BTreeMap, BTreeSet};
use suggestions::unknown_term;

/// The text an article file points to: `None` when it names none, `Some(Err(why))` when it
/// could not be read.
pub type ArticleText = Option<Result<String, String>>;

pub(crate) use crate::lexical::with_article;

/// The local name of an ontology term, for messages.
fn local(iri: &str) -> &str {
    vocab::nkg_local(iri).unwrap_or(iri)
}

/// The state of checking one file: where its values are, what it defines, what is wrong.
struct Checker<'a> {
    source: &'a SourceFile,
    /// Where each value of the file is: built on the first problem (most files have none).
    spans: std::cell::OnceCell<SpanIndex>,
    ontology: &'a Ontology,
    catalog: &'a Catalog,
    /// The corpus's entities, which the file may use without declaring them.
    registry: &'a Registry,
    problems: Vec<Diagnostic>,
    /// entity id → class IRI (`None` when the class is unknown: already reported)
    entities: BTreeMap<String, Option<String>>,
    /// (label or alias, entity id) of the entities the file declares
    names: Vec<(String, String)>,
    /// What is legal but likely a mistake (see [`warnings`]).
    warnings: Vec<Diagnostic>,
    /// Entries that did not fit the format (placeholders): nothing is reported under them.
    quiet: Vec<String>,
}

impl<'a> Checker<'a> {
    fn new(
        source: &'a SourceFile,
        ontology: &'a Ontology,
        catalog: &'a Catalog,
        registry: &'a Registry,
    ) -> Self {
        Checker {
            source,
            spans: std::cell::OnceCell::new(),
            ontology,
            catalog,
            registry,
            problems: Vec::new(),
            entities: BTreeMap::new(),
            names: Vec::new(),
            warnings: Vec::new(),
            quiet: Vec::new(),
        }
    }

    fn spans(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::new(&self.source.text, self.source.format))
    }

    /// Whether `path` is in an entry that did not fit the format.
    fn is_quiet(&self, path: &str) -> bool {
        self.quiet.iter().any(|q| {
            path.strip_prefix(q.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        if self.is_quiet(path) {
            return;
        }
        let offset = self.spans().offset(path);
        self.problems
            .push(self.source.diagnostic_at(offset, message));
    }

    /// A warning at the value at `path`.
    fn warn(&mut self, path: &str, message: impl Into<String>) {
        let offset = self.spans().offset(path);
        let message = format!("warning: {}", message.into());
        self.warnings
            .push(self.source.diagnostic_at(offset, message));
    }

    /// A warning at the key of the entry at `path`.
    fn warn_at_key(&mut self, path: &str, message: impl Into<String>) {
        let offset = self.spans().key_offset(path);
        let message = format!("warning: {}", message.into());
        self.warnings
            .push(self.source.diagnostic_at(offset, message));
    }

    /// A problem at the key (not the value) of the entry at `path`.
    fn problem_at_key(&mut self, path: &str, message: impl Into<String>) {
        if self.is_quiet(path) {
            return;
        }
        let offset = self.spans().key_offset(path);
        self.problems
            .push(self.source.diagnostic_at(offset, message));
    }

    /// An unknown term `name` of some kind (`what`) at `path`: the closest of `known` suggested,
    /// and, with `list`, all of them named.
    fn unknown(&mut self, path: &str, what: &str, name: &str, known: &[String], list: bool) {
        let message = unknown_term(self.ontology, what, name, known, list);
        self.problem(path, message);
    }

    fn check_id(&mut self, path: &str, what: &str, id: &str) {
        if !is_valid_id(id) {
            let suggestion = lexical::slugify(id);
            let hint = if suggestion.is_empty() {
                String::new()
            } else {
                format!("; try `{suggestion}`")
            };
            self.problem(
                path,
                format!("invalid {what} id `{id}`: use letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit{hint}"),
            );
        }
    }

    /// Checks `id` (the `i`th of `list`) and records it; a duplicate is reported with the line of
    /// the first. Returns whether the id is new.
    fn unique_id(
        &mut self,
        seen: &mut BTreeMap<String, usize>,
        list: &str,
        what: &str,
        i: usize,
        id: &str,
    ) -> bool {
        let path = format!("{list}[{i}].id");
        self.check_id(&path, what, id);
        if let Some(&first) = seen.get(id) {
            let first = self.spans().offset(&format!("{list}[{first}].id"));
            let (line, _) = line_col(&self.source.text, first);
            self.problem(
                &path,
                format!("duplicate {what} id `{id}` (first defined on line {line})"),
            );
            return false;
        }
        seen.insert(id.to_string(), i);
        true
    }

    /// The class of an entity the file declares or the registry describes, or a problem naming
    /// the closest id.
    fn entity(&mut self, path: &str, id: &str) -> Option<String> {
        if let Some(class) = self.entities.get(id) {
            // An entity whose class is unknown is defined; its uses are not checked further.
            return class.clone();
        }
        if let Some(r) = self.registry.get(id) {
            return Some(r.entity.class.clone());
        }
        let known = self
            .entities
            .keys()
            .map(String::as_str)
            .chain(self.registry.ids());
        let mut hint = did_you_mean(id, known);
        if hint.is_empty() {
            hint = self.named(id);
        }
        let where_ = if self.registry.is_empty() {
            "declare it in [[entities]]"
        } else {
            "declare it in [[entities]] or in the registry"
        };
        self.problem(path, format!("undefined entity `{id}`{hint} ({where_})"));
        None
    }

    /// Checks that entity `id` (of class `class`) is below `expected`.
    fn expect_class(&mut self, path: &str, id: &str, class: &str, expected: &str, why: &str) {
        if !self.ontology.is_subclass_of(class, expected) {
            let message = format!(
                "{why} must be {} (or below it), but `{id}` is {}",
                with_article(local(expected)),
                with_article(local(class))
            );
            self.problem(path, message);
        }
    }

    /// Checks that entity `id`, used at `path`, is defined and below `expected`.
    fn entity_of_class(&mut self, path: &str, id: &str, expected: &str, why: &str) {
        if let Some(class) = self.entity(path, id) {
            self.expect_class(path, id, &class, expected, why);
        }
    }
}

/// Checks a parsed facts file against `ontology`, `catalog` and the corpus's `registry`; `text`
/// is the article's text when the file points to one (read by the caller, see [`ArticleText`]).
/// The checked article names its entities by the ids they resolve to (merges followed).
pub fn validate(
    source: &SourceFile,
    file: &ArticleFile,
    text: &ArticleText,
    ontology: &Ontology,
    catalog: &Catalog,
    registry: &Registry,
) -> Result<ValidArticle, Vec<Diagnostic>> {
    let mut c = Checker::new(source, ontology, catalog, registry);
    // what did not fit the format is reported, and the entries it broke are checked no further
    c.problems.extend(file.shape.problems.iter().cloned());
    c.quiet = file.shape.quiet.clone();
    // a draft's stub is a to-do, and is checked once the curator says it is done
    for (i, f) in file.facts.iter().enumerate() {
        if f.draft == Some(true) {
            let path = format!("facts[{i}]");
            let to_do = drafts::to_do(f);
            c.problem_at_key(&format!("{path}.draft"), to_do);
            c.quiet.push(path);
        }
    }
    let meta = &file.article;
    c.check_id("article.id", "article", &meta.id);
    let text = match text {
        Some(Ok(text)) => Some(text.clone()),
        Some(Err(why)) => {
            c.problem("article.text", why);
            None
        }
        None => None,
    };

    // Entities first: facts refer to them.
    let entities = entities::check(&mut c, &file.entities);
    if let Some(text) = &text {
        drafts::mentions(&mut c, &file.entities, text);
    }

    // Article metadata.
    if let Some(p) = &meta.publisher {
        c.entity("article.publisher", p);
    }
    for (i, a) in meta.authors.iter().enumerate() {
        let path = format!("article.authors[{i}]");
        if let Some(class) = c.entity(&path, a)
            && !c.ontology.is_subclass_of(&class, vocab::nkg::PERSON)
            && !c.ontology.is_subclass_of(&class, vocab::nkg::ORGANIZATION)
        {
            c.problem(
                &path,
                format!(
                    "`{a}` is {}, not a person or an organization: an author writes the article (a state or a place cannot)",
                    with_article(local(&class))
                ),
            );
        }
    }
    if let Some(url) = &meta.url
        && let Err(e) = iri_string::types::IriStr::new(url)
    {
        c.problem("article.url", format!("invalid URL `{url}`: {e}"));
    }
    let published = meta.published.as_deref().and_then(|p| {
        let literal = if p.contains('T') || p.len() == 10 {
            time_literal(p).ok()
        } else {
            None
        }
        .ok_or_else(|| match lexical::impossible_date(p) {
            Some(why) => format!("invalid publication date `{p}`: {why}"),
            None => format!(
                "invalid publication date `{p}`: expected YYYY-MM-DD or an xsd:dateTime (YYYY-MM-DDThh:mm:ss with an optional zone)"
            ),
        });
        literal.map_err(|e| c.problem("article.published", e)).ok()
    });
    if let Some(lang) = &meta.language
        && !language_ok(lang)
    {
        c.problem(
            "article.language",
            format!("invalid language tag `{lang}`: use a BCP 47 tag such as `en` or `fr-CA`"),
        );
    }

    // Facts.
    let mut checked_facts = Vec::new();
    let mut fact_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, f) in file.facts.iter().enumerate() {
        c.unique_id(&mut fact_seen, "facts", "fact", i, &f.id);
        if let Some(fact) = facts::check(&mut c, &format!("facts[{i}]"), f, text.as_deref()) {
            checked_facts.push(fact);
        }
    }

    check_links(&mut c, file);

    let mut no_claims = Vec::new();
    for (i, n) in file.no_claims.iter().enumerate() {
        let position = match text.as_deref().map(|t| evidence::locate(t, &n.quote)) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                c.problem(&format!("no_claims[{i}].quote"), e.to_string());
                None
            }
            None => None,
        };
        if n.reason.trim().is_empty() {
            c.problem(
                &format!("no_claims[{i}].reason"),
                "say why this passage states nothing",
            );
        }
        if let Some(p) = &position
            && let Some(f) = checked_facts.iter().find(|f: &&crate::model::ValidFact| {
                f.position
                    .as_ref()
                    .is_some_and(|q| q.start < p.end && p.start < q.end)
            })
        {
            c.problem(
                &format!("no_claims[{i}].quote"),
                format!(
                    "this passage is marked as stating no claim, but fact `{}` quotes it: remove the `no_claims` entry, or the fact",
                    f.id
                ),
            );
        }
        no_claims.push(NoClaimPassage {
            quote: n.quote.clone(),
            reason: n.reason.clone(),
            position,
        });
    }

    if !c.problems.is_empty() {
        c.problems.sort();
        return Err(c.problems);
    }
    let mut article = ValidArticle {
        source: source.name.clone(),
        id: meta.id.clone(),
        title: meta.title.clone(),
        publisher: meta.publisher.clone(),
        authors: meta.authors.clone(),
        url: meta.url.clone(),
        published,
        language: meta.language.clone(),
        genre: meta.genre.clone(),
        text,
        text_path: meta.text.as_deref().map(|t| source.text_display_path(t)),
        entities,
        facts: checked_facts,
        no_claims,
        mentions: Vec::new(),
        qids: BTreeMap::new(),
        classes: BTreeMap::new(),
        warnings: Vec::new(),
    };
    warnings::check(&mut c, file, &article);
    c.warnings.sort();
    article.warnings = c.warnings;
    resolve(&mut article, registry);
    Ok(article)
}

/// The links between the claims of a file: each names another fact of the file, and no kind of
/// link goes round (a claim that is, through others, its own cause, condition or part).
fn check_links(c: &mut Checker<'_>, file: &ArticleFile) {
    let ids: BTreeMap<&str, usize> = file
        .facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let mut by_kind: BTreeMap<&str, BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
    for (i, f) in file.facts.iter().enumerate() {
        for (key, targets) in &f.links {
            if c.ontology
                .property(key)
                .is_none_or(|p| !c.ontology.is_claim_link(p))
            {
                continue; // reported with the fact
            }
            for (j, t) in targets.as_slice().iter().enumerate() {
                let path = targets.item_path(&format!("facts[{i}].links.{key}"), j);
                match ids.get(t.as_str()) {
                    Some(&target) if target == i => c.problem(
                        &path,
                        format!(
                            "fact `{}` links to itself: a `{key}` link names another fact",
                            f.id
                        ),
                    ),
                    Some(&target) => by_kind
                        .entry(key.as_str())
                        .or_default()
                        .entry(i)
                        .or_default()
                        .push(target),
                    None => {
                        let hint = did_you_mean(t, ids.keys().copied());
                        c.problem(
                            &path,
                            format!("`{key}` names fact `{t}`, which this file does not state (a link names a fact of the same article){hint}"),
                        )
                    }
                }
            }
        }
    }
    for (key, edges) in by_kind {
        let mut reported: BTreeSet<usize> = BTreeSet::new();
        for &start in edges.keys() {
            if reported.contains(&start) {
                continue;
            }
            // Depth-first from `start`, looking for a way back to it.
            let mut stack = vec![(start, vec![start])];
            let mut seen = BTreeSet::new();
            while let Some((at, trail)) = stack.pop() {
                for &next in edges.get(&at).into_iter().flatten() {
                    if next == start {
                        let names: Vec<&str> = trail
                            .iter()
                            .chain([&start])
                            .map(|&k| file.facts[k].id.as_str())
                            .collect();
                        reported.extend(trail.iter().copied());
                        c.problem_at_key(
                            &format!("facts[{start}].links.{key}"),
                            format!("`{key}` links go round: {} (a claim cannot be, through others, its own {key} target)", names.join(" → ")),
                        );
                        stack.clear();
                        break;
                    }
                    if seen.insert(next) {
                        let mut t = trail.clone();
                        t.push(next);
                        stack.push((next, t));
                    }
                }
            }
        }
    }
}

/// Names every entity of `article` by the id it resolves to in `registry` (merges followed),
/// and records which entities it mentions and their Wikidata IDs.
fn resolve(article: &mut ValidArticle, registry: &Registry) {
    let mut mentions: BTreeSet<String> = BTreeSet::new();
    let mut id = |id: &mut String| {
        let resolved = registry.resolve(id).to_string();
        *id = resolved.clone();
        mentions.insert(resolved);
    };
    article.publisher.iter_mut().for_each(&mut id);
    article.authors.iter_mut().for_each(&mut id);
    for e in &mut article.entities {
        id(&mut e.id);
        e.stands_for.iter_mut().for_each(&mut id);
    }
    for f in &mut article.facts {
        f.said_by.iter_mut().for_each(&mut id);
        f.citing.iter_mut().for_each(&mut id);
        for (_, value) in &mut f.qualifiers {
            if let QualifierValue::Entity(e) = value {
                id(e);
            }
        }
        match &mut f.kind {
            FactKind::Relation {
                subject, objects, ..
            } => {
                id(subject);
                objects.iter_mut().for_each(&mut id);
            }
            FactKind::Event {
                about,
                participants,
                place,
                ..
            } => {
                about.iter_mut().for_each(&mut id);
                participants.iter_mut().for_each(|(e, _)| id(e));
                place.iter_mut().for_each(&mut id);
            }
        }
    }
    let own: BTreeMap<&str, &str> = article
        .entities
        .iter()
        .filter_map(|e| Some((e.id.as_str(), e.wikidata.as_deref()?)))
        .collect();
    article.qids = mentions
        .iter()
        .filter_map(|m| {
            let qid = match own.get(m.as_str()) {
                Some(q) => Some(q.to_string()),
                None => registry.get(m).and_then(|r| r.entity.wikidata.clone()),
            }?;
            Some((m.clone(), qid))
        })
        .collect();
    article.classes = mentions
        .iter()
        .filter_map(|m| {
            let class = match article.entities.iter().find(|e| &e.id == m) {
                Some(e) => Some(e.class.clone()),
                None => registry.get(m).map(|r| r.entity.class.clone()),
            }?;
            Some((m.clone(), class))
        })
        .collect();
    article.mentions = mentions.into_iter().collect();
}
