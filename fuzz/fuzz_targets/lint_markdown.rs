//! Structured Markdown: the fuzzer picks pieces (headings, deep lists and quotes, huge
//! tables, unclosed fences, HTML, front matter, timelines, trigger phrases, odd Unicode)
//! and this target assembles them into a postmortem-shaped document, then checks every
//! report invariant (see `core/tests/support/invariants.rs`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::sync::OnceLock;
use unblame::{Config, Linter, StructureMode};

#[path = "../../core/tests/support/invariants.rs"]
mod invariants;

const TRIGGERS: &[&str] = &[
    "should have",
    "Should've",
    "should’ve",
    "could have",
    "failed to",
    "forgot to",
    "human error",
    "root cause",
    "The root cause",
    "careless",
    "carelessly",
    "obviously",
    "Clearly,",
    "negligent",
    "be more careful",
    "retrain",
    "fire",
    "disciplined",
    "was to blame",
    "caused the outage",
    "didn’t bother",
    "ought to have",
    "pilot error",
    "operator error",
    "unblame-disable-next-line",
];

const WORDS: &[&str] = &[
    "Dana",
    "Bob",
    "@alice",
    "the",
    "engineer",
    "on-call",
    "team",
    "service",
    "deploy",
    "replica",
    "lag",
    "checked",
    "known",
    "rolled",
    "back",
    "we",
    "she",
    "they",
    "alert",
    "at",
    "10:02",
    "UTC",
    "2024-03-07T10:02:00Z",
    "p99",
    "latency",
    "because",
    "not",
    "never",
    "and",
    "but",
    "1",
    "—",
    "–",
    "-",
    "'",
    "’",
    "\"",
    "“",
    "”",
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "`code`",
    "**bold**",
    "_em_",
    "[link](http://x)",
    "🔥",
    "漢字",
    "é",
    "e\u{301}",
    "\u{200b}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "ß",
    "İ",
    "ﬁ",
    "\u{10ffff}",
    "\t",
    "\r\n",
    "\n",
    "  ",
    "\\",
    "|",
    "<b>",
    "</b>",
    "<!--",
    "-->",
    "&amp;",
];

#[derive(Arbitrary, Debug)]
enum Word {
    Trigger(u8),
    Word(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Words(Vec<Word>);

#[derive(Arbitrary, Debug)]
enum Piece {
    Heading(u8, Words),
    Setext(bool, Words),
    Para(Words),
    Bullet(u8, Words),
    Ordered(u16, Words),
    Quote(u8, Words),
    NestedMix(u16, Words),
    Table(u16, u8, Words),
    Fence(bool, u8, Words),
    Indented(Words),
    Html(u8, Words),
    Comment(Words),
    FrontMatter(Words),
    Timeline(u8, u8, bool, Words),
    HeaderField(u8, Words),
    Section(u8),
    Blank,
    HardBreak(Words),
    Footnote(Words),
    Repeat(u16, u8),
}

#[derive(Arbitrary, Debug)]
struct Doc {
    structure: u8,
    crlf: bool,
    pieces: Vec<Piece>,
}

const SECTIONS: &[&str] = &[
    "Summary",
    "Impact",
    "Timeline",
    "Contributing factors",
    "Root cause",
    "Action items",
    "What went well",
    "Where we got lucky",
    "Lessons learned",
    "Glossary",
    "Follow-ups",
    "Appendix",
];

const FIELDS: &[&str] = &[
    "Date", "Authors", "Status", "Severity", "Duration", "Detected", "Resolved", "Owner",
];

fn words(w: &Words, out: &mut String) {
    for (i, word) in w.0.iter().take(64).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match word {
            Word::Trigger(t) => out.push_str(TRIGGERS[*t as usize % TRIGGERS.len()]),
            Word::Word(t) => out.push_str(WORDS[*t as usize % WORDS.len()]),
            Word::Raw(s) => out.extend(s.chars().take(40)),
        }
    }
}

fn line(w: &Words) -> String {
    let mut s = String::new();
    words(w, &mut s);
    s.replace(['\n', '\r'], " ")
}

fn render(doc: &Doc) -> String {
    let mut out = String::new();
    for piece in doc.pieces.iter().take(200) {
        match piece {
            Piece::Heading(level, w) => {
                let level = (*level as usize % 8) + 1; // 7 and 8 are not headings
                let _ = writeln!(out, "{} {}", "#".repeat(level), line(w));
            }
            Piece::Setext(h1, w) => {
                let _ = writeln!(out, "{}\n{}", line(w), if *h1 { "===" } else { "---" });
            }
            Piece::Para(w) => {
                words(w, &mut out);
                out.push_str("\n\n");
            }
            Piece::Bullet(depth, w) => {
                let _ = writeln!(out, "{}- {}", "  ".repeat(*depth as usize), line(w));
            }
            Piece::Ordered(n, w) => {
                let _ = writeln!(out, "{}. {}", n, line(w));
            }
            Piece::Quote(depth, w) => {
                let _ = writeln!(out, "{} {}", ">".repeat(*depth as usize + 1), line(w));
            }
            Piece::NestedMix(depth, w) => {
                let depth = *depth as usize % 1200;
                let text = line(w);
                for d in 0..depth {
                    let marker = ["- ", "> ", "1. ", "* "][d % 4];
                    let _ = writeln!(out, "{}{}{}", "  ".repeat(d.min(40)), marker, text);
                }
            }
            Piece::Table(rows, cols, w) => {
                let rows = *rows as usize % 1000;
                let cols = (*cols as usize % 12) + 1;
                let cell = line(w).replace('|', "\\|");
                out.push('|');
                for c in 0..cols {
                    let _ = write!(out, " {} |", SECTIONS[c % SECTIONS.len()]);
                }
                out.push_str("\n|");
                for _ in 0..cols {
                    out.push_str("---|");
                }
                out.push('\n');
                for r in 0..rows {
                    out.push('|');
                    for c in 0..cols {
                        let _ = write!(out, " {:02}:{:02} {} |", r % 24, c % 60, cell);
                    }
                    out.push('\n');
                }
                out.push('\n');
            }
            Piece::Fence(closed, lang, w) => {
                let fence = if lang % 2 == 0 { "```" } else { "~~~~" };
                let _ = writeln!(
                    out,
                    "{fence}{}",
                    ["", "sh", "yaml", "md"][*lang as usize % 4]
                );
                words(w, &mut out);
                out.push('\n');
                if *closed {
                    let _ = writeln!(out, "{fence}");
                }
            }
            Piece::Indented(w) => {
                let _ = writeln!(out, "\n    {}\n", line(w));
            }
            Piece::Html(kind, w) => {
                let tag = ["div", "details", "pre", "script", "table", "span"][*kind as usize % 6];
                let _ = writeln!(out, "<{tag}>\n{}\n</{tag}>", line(w));
                if kind % 3 == 0 {
                    let _ = writeln!(out, "<{tag}>unclosed {}", line(w));
                }
            }
            Piece::Comment(w) => {
                let _ = writeln!(out, "<!-- unblame-disable-next-line {} -->", line(w));
            }
            Piece::FrontMatter(w) => {
                let _ = writeln!(out, "---\ntitle: {}\ndate: 2024-03-07\n---", line(w));
            }
            Piece::Timeline(h, m, table, w) => {
                let (h, m) = (*h as usize % 30, *m as usize % 70);
                if h >= 26 {
                    // Non-ASCII digits in the date and time.
                    let _ = writeln!(out, "- 2024-0{}-{}T{h:02}:{m:02}Z — {}", "३", "०७", line(w));
                } else if *table {
                    let _ = writeln!(out, "| {h:02}:{m:02} | {} |", line(w));
                } else {
                    let _ = writeln!(out, "- {h:02}:{m:02} UTC — {}", line(w));
                }
            }
            Piece::HeaderField(f, w) => {
                let _ = writeln!(
                    out,
                    "**{}:** {}",
                    FIELDS[*f as usize % FIELDS.len()],
                    line(w)
                );
            }
            Piece::Section(s) => {
                let _ = writeln!(out, "\n## {}\n", SECTIONS[*s as usize % SECTIONS.len()]);
            }
            Piece::Blank => out.push('\n'),
            Piece::HardBreak(w) => {
                let _ = writeln!(out, "{}  \n{}\\\n", line(w), line(w));
            }
            Piece::Footnote(w) => {
                let _ = writeln!(out, "See [^1].\n\n[^1]: {}", line(w));
            }
            Piece::Repeat(n, t) => {
                let trig = TRIGGERS[*t as usize % TRIGGERS.len()];
                for _ in 0..(*n as usize % 300) {
                    out.push_str(trig);
                    out.push(' ');
                }
                out.push('\n');
            }
        }
    }
    if doc.crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

fn linters() -> &'static [Linter; 3] {
    static L: OnceLock<[Linter; 3]> = OnceLock::new();
    L.get_or_init(|| {
        let with = |structure| {
            Linter::new(Config {
                structure,
                ..Config::default()
            })
            .unwrap()
        };
        [
            with(StructureMode::Auto),
            with(StructureMode::On),
            with(StructureMode::Off),
        ]
    })
}

fuzz_target!(|doc: Doc| {
    let text = render(&doc);
    // `UNBLAME_FUZZ_DUMP=file.md lint_markdown artifact` writes the document an input
    // stands for, to reproduce a slow or crashing case with the CLI.
    if let Some(path) = std::env::var_os("UNBLAME_FUZZ_DUMP") {
        std::fs::write(path, &text).expect("write the dump");
    }
    let linter = &linters()[doc.structure as usize % 3];
    invariants::check_all(linter, &text);
});
