//! What is legal but likely a mistake: warnings, which `check` prints and `--deny-warnings`
//! makes errors. A source named on an asserted fact, a list left empty, an entity declared
//! and never used.

use super::Checker;
use crate::input::facts::ArticleFile;
use crate::model::{FactKind, QualifierValue, ValidArticle};
use crate::vocab::nkg;
use std::collections::BTreeSet;

/// Warns about `file`, which passed every check as `article`.
pub(super) fn check(c: &mut Checker<'_>, file: &ArticleFile, article: &ValidArticle) {
    // a source named on a fact the article states as its own
    for (i, (decl, fact)) in file.facts.iter().zip(&article.facts).enumerate() {
        if fact.modality == nkg::ASSERTED && !fact.said_by.is_empty() {
            c.warn_at_key(
                &format!("facts[{i}].said_by"),
                format!(
                    "fact `{}` is asserted (the article states it as fact) but names who said it: if the article reports it from them, make it `modality = \"reported\"`; else remove `said_by`",
                    decl.id
                ),
            );
        }
    }
    // an empty list, where the key was written
    let mut lists: Vec<(String, bool)> = vec![(
        "article.authors".to_string(),
        file.article.authors.is_empty(),
    )];
    for (i, e) in file.entities.iter().enumerate() {
        lists.push((format!("entities[{i}].aliases"), e.aliases.is_empty()));
    }
    for (i, f) in file.facts.iter().enumerate() {
        lists.push((
            format!("facts[{i}].participants"),
            f.participants.is_empty(),
        ));
        let empty = |v: &Option<crate::input::facts::OneOrMany>| {
            v.as_ref().is_some_and(|v| v.as_slice().is_empty())
        };
        lists.push((format!("facts[{i}].said_by"), empty(&f.said_by)));
        lists.push((format!("facts[{i}].citing"), empty(&f.citing)));
    }
    // (an empty list is written `[]`: most files have none, and need no index of their values)
    let written = has_empty_list(&c.source.text);
    for (path, empty) in lists {
        if written && empty && c.spans().has(&path) {
            let key = path.rsplit('.').next().unwrap_or(&path).to_string();
            c.warn_at_key(
                &path,
                format!("`{key}` is an empty list: fill it in or remove the key"),
            );
        }
    }
    // an entity declared and never used: no fact, author or publisher names it by its id, and
    // no quote by its label or an alias (a mention the facts cite)
    let used = used(article);
    let quotes: Vec<String> = article
        .facts
        .iter()
        .map(|f| f.quote.to_lowercase())
        .collect();
    let quoted = |name: &str| {
        let name = name.to_lowercase();
        !name.trim().is_empty() && quotes.iter().any(|q| q.contains(&name))
    };
    for (i, e) in article.entities.iter().enumerate() {
        let named = quoted(&e.label) || e.aliases.iter().any(|a| quoted(a));
        if !used.contains(e.id.as_str()) && !named {
            c.warn(
                &format!("entities[{i}].id"),
                format!(
                    "entity `{}` is declared but unused: no fact, author or publisher names it, and no quote has its label or an alias; state what the article says of it, or remove it",
                    e.id
                ),
            );
        }
    }
}

/// Whether `text` has `[` and `]` with only white space between them.
fn has_empty_list(text: &str) -> bool {
    text.match_indices('[')
        .any(|(i, _)| text[i + 1..].trim_start().starts_with(']'))
}

/// The entity ids that the article uses (as written in the file, before merges).
fn used(article: &ValidArticle) -> BTreeSet<&str> {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    used.extend(article.publisher.as_deref());
    used.extend(article.authors.iter().map(String::as_str));
    used.extend(
        article
            .entities
            .iter()
            .filter_map(|e| e.stands_for.as_deref()),
    );
    for f in &article.facts {
        used.extend(f.said_by.iter().chain(&f.citing).map(String::as_str));
        for (_, value) in &f.qualifiers {
            if let QualifierValue::Entity(e) = value {
                used.insert(e);
            }
        }
        match &f.kind {
            FactKind::Relation {
                subject, objects, ..
            } => {
                used.insert(subject);
                used.extend(objects.iter().map(String::as_str));
            }
            FactKind::Event {
                about,
                participants,
                place,
                ..
            } => {
                used.extend(about.as_deref());
                used.extend(place.as_deref());
                used.extend(participants.iter().map(|(e, _)| e.as_str()));
            }
        }
    }
    used
}
