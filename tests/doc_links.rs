//! Every relative link and image in README.md and docs/*.md points at a file that exists, and
//! every `#anchor` into a Markdown file matches one of its headings (GitHub's and mdBook's slug
//! rule: lower case, letters, digits, `-` and `_` kept, each space a `-`, other characters
//! dropped, a repeated heading gets `-1`, `-2`, …). Every docs/*.md is a chapter of the guide
//! (listed in docs/SUMMARY.md). No network: web links are not followed.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown files whose links are checked: README.md and docs/*.md.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(repo().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The lines of a Markdown file that are prose (not inside fenced or indented code blocks).
fn prose_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut prev_blank_or_code = true;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            continue;
        }
        let indented_code = (line.starts_with("    ") || line.starts_with('\t')) && prev_blank_or_code;
        prev_blank_or_code = line.trim().is_empty() || indented_code;
        if indented_code {
            continue;
        }
        out.push((i + 1, strip_code_spans(line)));
    }
    out
}

/// Removes inline code spans (`…`, ``…``) from one line.
fn strip_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let close = (i + run..chars.len()).find(|&j| {
                chars[j..].iter().take_while(|&&c| c == '`').count() == run && (j == 0 || chars[j - 1] != '`')
            });
            match close {
                Some(j) => i = j + run,
                None => {
                    out.extend(&chars[i..i + run]);
                    i += run;
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Link targets on one prose line: `[text](target)`, `![alt](target)` and `[ref]: target`.
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find("](") {
        let after = &rest[p + 2..];
        let mut depth = 0usize;
        let mut end = None;
        for (k, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = Some(k);
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let inner = after[..end].trim();
        let target = inner.trim_start_matches('<').split(['>', ' ']).next().unwrap_or("");
        targets.push(target.to_string());
        rest = &after[end..];
    }
    let t = line.trim_start();
    if t.starts_with('[') && !t.starts_with("[^") {
        if let Some(p) = t.find("]: ") {
            if !t[..p].contains("](") {
                targets.push(t[p + 3..].split_whitespace().next().unwrap_or("").to_string());
            }
        }
    }
    targets
}

/// GitHub's (and mdBook's) anchor of a heading's text.
fn slug(heading: &str) -> String {
    let mut text = String::new();
    // [text](url) → text; `code` → code; emphasis markers dropped.
    let mut rest = heading;
    while let Some(p) = rest.find("](") {
        let close = rest[p..].find(')').map(|k| p + k + 1).unwrap_or(rest.len());
        text.push_str(&rest[..p]);
        rest = &rest[close..];
    }
    text.push_str(rest);
    text.chars()
        .filter(|&c| c != '[' && c != '`' && c != '*')
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of every heading of a Markdown file.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for (_, line) in prose_lines_keep_code_spans(text) {
        let t = line.trim_start();
        if !t.starts_with('#') {
            continue;
        }
        let level = t.chars().take_while(|&c| c == '#').count();
        if level > 6 || !t[level..].starts_with(' ') {
            continue;
        }
        let base = slug(t[level..].trim().trim_end_matches('#').trim());
        let mut id = base.clone();
        let mut n = 1;
        while seen.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        seen.insert(id);
    }
    seen
}

/// Like `prose_lines`, but keeps inline code (headings' code spans are part of their anchor).
fn prose_lines_keep_code_spans(text: &str) -> Vec<(usize, String)> {
    let all: Vec<&str> = text.lines().collect();
    prose_lines(text).into_iter().map(|(n, _)| (n, all[n - 1].to_string())).collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks one link target found in `file` at `line`; returns a description of the problem.
fn check(file: &Path, line: usize, target: &str) -> Option<String> {
    let here = format!("{}:{line}: {target}", file.strip_prefix(repo()).unwrap_or(file).display());
    if target.is_empty() {
        return Some(format!("{here}: empty link target"));
    }
    if target.contains("://") || target.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    if path.starts_with('/') {
        return Some(format!("{here}: absolute path; links must be relative"));
    }
    let resolved = if path.is_empty() { file.to_path_buf() } else { file.parent().unwrap().join(percent_decode(path)) };
    if !resolved.exists() {
        let shown = resolved.strip_prefix(repo()).unwrap_or(&resolved).display().to_string();
        return Some(format!("{here}: no such file {shown}"));
    }
    if let Some(anchor) = anchor {
        if resolved.extension().is_some_and(|x| x == "md") {
            let text = fs::read_to_string(&resolved).expect("linked Markdown file reads");
            if !anchors(&text).contains(&percent_decode(anchor)) {
                return Some(format!("{here}: no heading with anchor #{anchor}"));
            }
        }
    }
    None
}

#[test]
fn slug_rule_matches_github() {
    assert_eq!(slug("Bad input, limits and the fuzzer"), "bad-input-limits-and-the-fuzzer");
    assert_eq!(slug("`nanomag run` experiments"), "nanomag-run-experiments");
    assert_eq!(
        slug("`[spectrum]` — the FMR probe (`nanomag spectrum` and `features.kind = \"spectrum\"`)"),
        "spectrum--the-fmr-probe-nanomag-spectrum-and-featureskind--spectrum"
    );
    assert_eq!(slug("The idealised bound: T = 0, ideal reads"), "the-idealised-bound-t--0-ideal-reads");
    assert_eq!(slug("See [the guide](docs/x.md) now"), "see-the-guide-now");
    let a = anchors("# A\n## A\n```\n# not a heading\n```\n## A\n");
    assert_eq!(a, ["a", "a-1", "a-2"].iter().map(|s| s.to_string()).collect());
}

#[test]
fn link_parser_finds_links_outside_code() {
    let text =
        "see [x](a.md#b) and ![y](../p.png \"t\")\n`[no](c.md)`\n\n    [no](d.md)\n```\n[no](e.md)\n```\n[ref]: f.md\n";
    let found: Vec<String> = prose_lines(text).iter().flat_map(|(_, l)| link_targets(l)).collect();
    assert_eq!(found, ["a.md#b", "../p.png", "f.md"]);
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).expect("Markdown file reads");
        for (n, line) in prose_lines(&text) {
            for target in link_targets(&line) {
                checked += 1;
                problems.extend(check(&file, n, &target));
            }
        }
    }
    assert!(checked > 50, "only {checked} links found: the parser is broken");
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[test]
fn every_docs_page_is_a_chapter_of_the_guide() {
    let summary = fs::read_to_string(repo().join("docs/SUMMARY.md")).expect("docs/SUMMARY.md reads");
    let listed: HashSet<String> = prose_lines(&summary).iter().flat_map(|(_, l)| link_targets(l)).collect();
    let missing: Vec<String> = markdown_files()
        .into_iter()
        .skip(1)
        .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
        .filter(|f| f != "SUMMARY.md" && !listed.contains(f))
        .collect();
    assert!(missing.is_empty(), "docs pages not in docs/SUMMARY.md: {missing:?}");
}
