//! A seeded, deterministic generator of realistic incident-postmortem Markdown, for
//! benchmarks and the peer comparison.
//!
//! [`generate`] writes one or more complete postmortems (header block, summary, UTC
//! timeline, contributing factors, action items, code blocks, block-quoted chat, inline
//! code, links, non-ASCII names and emoji) until the text reaches roughly the requested
//! size. About one sentence in twenty is blame language ("should have", "X broke Y",
//! "careless", "human error", "the root cause was", "held accountable", "be more
//! careful"); the rest is technical prose that includes the words a naive word list trips
//! on ("the alert fired", "root CA", "lazy loading", "just after").
//!
//! [`generate_plain`] writes the same kind of document from sentences that contain none
//! of the lexicon's trigger words, to measure the cost of parsing and scanning alone.
//!
//! The same `(seed, approx_bytes)` always gives the same text, on every platform.

/// A small, fast, portable PRNG (SplitMix64). Not for cryptography.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The share of prose sentences, timeline entries, factors and actions that carry blame
/// language.
pub const BLAME_SHARE: f64 = 0.05;

const NAMES: &[&str] = &[
    "Dana",
    "Marcus",
    "Priya",
    "José",
    "Zoë",
    "Søren",
    "Łukasz",
    "Åsa",
    "Chloé",
    "Björn",
    "Ayşe",
    "Kofi",
    "Mei",
    "Ingrid",
    "Raúl",
    "Siobhán",
    "Jürgen",
    "Tomás",
    "Yuki",
    "Nguyễn",
    "Amara",
    "Lars",
    "Fatima",
    "Oleksandr",
];

const TEAMS: &[&str] = &[
    "platform", "payments", "search", "storage", "edge", "identity", "data", "SRE",
];

const SERVICES: &[&str] = &[
    "checkout",
    "search-api",
    "payments-gateway",
    "the ledger service",
    "ingest-worker",
    "auth-proxy",
    "notifications",
    "billing-cron",
    "edge-router",
    "inventory-db",
    "the partner API",
    "image-resizer",
];

const COMPONENTS: &[&str] = &[
    "connection pool",
    "TLS terminator",
    "read replica",
    "message queue",
    "feature flag service",
    "DNS resolver",
    "cache cluster",
    "load balancer",
    "rate limiter",
    "schema migration",
    "service mesh sidecar",
    "job scheduler",
];

const HOSTS: &[&str] = &[
    "partners.example.net",
    "api.internal.example.com",
    "db-replica-03.eu-west-1",
    "cache-7.prod",
    "lb-edge-2.us-east-2",
    "queue-broker-1",
];

const CODES: &[&str] = &[
    "max_connections",
    "pool.size = 400",
    "ttl_seconds",
    "kubectl rollout undo",
    "SELECT count(*) FROM orders",
    "retry_budget",
    "config/cache.yaml",
    "--dry-run",
    "flag: new_checkout_flow",
    "ENABLE_BATCHING=true",
];

const LINKS: &[&str] = &[
    "https://runbooks.example.com/failover",
    "https://grafana.example.com/d/abc123/checkout",
    "https://github.com/example/infra/pull/4471",
    "https://status.example.com/incidents/2026-03",
    "https://jira.example.com/browse/OPS-1182",
];

const EMOJI: &[&str] = &["🔥", "🚨", "✅", "👀", "📉", "🙏"];

/// Clean technical prose, including trap words ("the alert fired", "root CA", "lazy
/// loading", "just after", "failed to connect", "we should add").
const CLEAN: &[&str] = &[
    "The alert fired at {t} UTC and paged the {team} on-call.",
    "Just after {t}, error rates on {svc} began to fall back toward baseline.",
    "Lazy loading of the {comp} configuration meant the first request after a restart paid a {ms} ms penalty.",
    "The root CA bundle on `{host}` was still valid; only the intermediate certificate had rotated.",
    "The health check failed to connect to the {comp} for {n} consecutive probes.",
    "We should add a canary stage in front of {svc} so that a bad config reaches one percent of traffic first.",
    "p99 latency on {svc} rose from {ms} ms to {ms2} ms within four minutes.",
    "The dashboard showed the {comp} saturating at {pct}% CPU.",
    "{name} opened the incident channel and posted the first status update at {t} UTC.",
    "Rolling back `{code}` restored normal behaviour on {svc}.",
    "See the [failover runbook]({link}) for the manual steps.",
    "Retries from clients amplified load on the {comp} by roughly {n}x.",
    "The deploy pipeline has no gate that compares {comp} settings between staging and production.",
    "Staging does not carry production-sized keys, so the size regression was invisible there.",
    "The on-call engineer, {name}, escalated to the {team} team at {t} UTC {emoji}.",
    "Traffic shifted to the secondary region once the DNS TTLs expired.",
    "The {comp} kept accepting connections but stopped draining its backlog.",
    "The queue depth metric was not exported, so the bridge could not see the backlog growing.",
    "{name} and {name2} paired on the mitigation while {name3} handled customer updates.",
    "The runbook assumed a single primary, but {svc} had been running with two since the January migration.",
    "Autoscaling added {n} instances, which did not help because the bottleneck was the {comp}.",
    "The error budget for {svc} was {pct}% consumed by the end of the incident.",
    "The change set `{code}` in [PR 4471]({link}) and passed every automated check.",
    "The synthetic probe from the EU region kept reporting success because it hit a warm cache.",
    "At {t} UTC the {comp} reported {n} thousand pending writes.",
    "Log volume from {svc} tripled, which slowed queries in the logging cluster as well.",
    "The failover completed in {n} minutes once the replica caught up.",
    "The incident commander, {name}, declared the incident resolved at {t} UTC.",
    "Customer support received {n} tickets mentioning slow checkout during the window.",
    "Dependency graphs in the service catalogue did not list {svc} as a consumer of the {comp}.",
    "The limit of {n} open files per process was reached on every node at about the same time.",
    "Reads were served from the stale replica for {n} minutes, so some users saw old order states.",
    "A config reload does not re-resolve upstream hostnames, which kept traffic pinned to the drained node.",
    "The old alert threshold of {pct}% had been tuned for last year's traffic.",
    "Documentation for the {comp} describes the defaults of an earlier major version.",
    "Because the {comp} shares a thread pool with health checks, probes timed out under load.",
    "The team had discussed moving `{host}` to automated renewal, but the work was never scheduled.",
    "Error rates were highest for mobile clients, which retry more aggressively than the web app.",
    "A feature flag kill switch existed but was scoped to one region, so it did not stop the rollout elsewhere.",
    "Mitigation started once {name} confirmed the correlation between the deploy and the latency graph 📉.",
];

/// Blame sentences, roughly one in twenty (see [`BLAME_SHARE`]).
const BLAME: &[&str] = &[
    "{name} should have checked the {comp} settings before pushing to production.",
    "{name} broke {svc} when the new cache config went out.",
    "This was a careless change that skipped staging entirely.",
    "The root cause was human error during the manual failover.",
    "{name} was careless and did not read the diff.",
    "The root cause was {name}'s untested migration.",
    "{name} will be held accountable for the missed certificate renewal.",
    "Engineers need to be more careful when editing `{code}` by hand.",
    "{name} forgot to renew the certificate for `{host}`.",
    "Frankly, this was a rookie mistake.",
    "{name} failed to notice the page for twenty minutes.",
    "If {name} had followed the runbook, this would have been avoided.",
    "The {team} team should have known that the quota was close to its limit.",
    "Human error on the part of {name} took down {svc}.",
    "Obviously the reviewer never opened the diff.",
    "{name} ignored the warning in the deploy output.",
    "The on-call engineer should have escalated sooner.",
];

/// Timeline events (after the timestamp).
const EVENTS: &[&str] = &[
    "Deploy of {svc} build {n} starts.",
    "Alert fired: {svc} 5xx rate above {pct}%.",
    "{name} acknowledges the page.",
    "{name} joins the bridge {emoji}.",
    "Error rate on {svc} reaches {pct}%.",
    "Rollback of `{code}` started.",
    "Rollback complete; latency recovering.",
    "{name} identifies the {comp} as saturated.",
    "Traffic drained from the affected region.",
    "Status page updated ([incident]({link})).",
    "Just after the restart, the {comp} reports healthy.",
    "Replica lag back under one second.",
    "{name} confirms recovery on the dashboards ✅.",
    "Incident resolved; monitoring continues.",
    "Customer support notified of the impact.",
];

const BLAME_EVENTS: &[&str] = &[
    "{name} broke the {comp} by restarting it without draining.",
    "{name} finally notices the alert; should have been looking at the dashboard.",
    "Careless manual edit of `{code}` by {name}.",
];

const FACTORS: &[&str] = &[
    "The deploy pipeline does not compare {comp} settings between staging and production.",
    "The certificate-expiry check only covered hostnames in the old inventory file.",
    "Client retries without jitter amplified load on the {comp}.",
    "The {comp} shares a thread pool with health checks, so probes failed under load.",
    "Alert thresholds for {svc} were tuned for last year's traffic.",
    "The runbook for {svc} described a topology that changed in January.",
    "Config reloads do not re-resolve upstream hostnames.",
    "Lazy loading of the {comp} hides its startup cost until the first request.",
    "No dashboard showed queue depth for the {comp}.",
    "The kill switch for `{code}` was scoped to one region.",
];

const BLAME_FACTORS: &[&str] = &[
    "{name} should have tested the migration against production-sized data.",
    "The root cause was human error: {name} typed the wrong hostname.",
    "The {team} team was careless with the rollout plan.",
];

const ACTIONS: &[&str] = &[
    "Add a size check for `{code}` to the config linter",
    "Move `{host}` to automated ACME renewal",
    "Alert on replica lag above 30 s for {svc}",
    "Add jitter to client retries in the {svc} SDK",
    "Give health checks a dedicated thread pool in the {comp}",
    "Export queue depth for the {comp} and add it to the on-call dashboard",
    "Make the kill switch for `{code}` global",
    "Re-resolve upstream hostnames on config reload",
    "Update the {svc} runbook for the two-primary topology",
    "Add a canary stage for {svc} deploys",
];

const BLAME_ACTIONS: &[&str] = &[
    "Retrain {name} on the deploy process",
    "Remind the team to be more careful with manual failovers",
    "{name} to be held accountable in the next performance review",
];

/// Sentences free of every trigger word in the built-in lexicon (checked by a test).
const PLAIN: &[&str] = &[
    "At {t} UTC the {comp} reported {n} thousand pending writes.",
    "p99 latency on {svc} rose from {ms} ms to {ms2} ms within four minutes.",
    "The dashboard showed the {comp} saturating at {pct}% CPU.",
    "{name} opened the incident channel and posted the first status update at {t} UTC.",
    "Rolling back `{code}` restored normal behaviour on {svc}.",
    "See the [failover runbook]({link}) for the manual steps.",
    "Traffic shifted to the secondary region once the DNS TTLs expired.",
    "The {comp} kept accepting connections but stopped draining its backlog.",
    "Autoscaling added {n} instances to the pool.",
    "The error budget for {svc} was {pct}% consumed at the end of the incident.",
    "The synthetic probe from the EU region kept reporting success from a warm cache.",
    "Log volume from {svc} tripled, which slowed queries in the logging cluster as well.",
    "The failover completed in {n} minutes once the replica caught up.",
    "Customer support received {n} tickets mentioning slow checkout during the window.",
    "Reads were served from the stale replica for {n} minutes.",
    "Error rates were highest for mobile clients {emoji}.",
    "The on-call engineer, {name}, paged the {team} team at {t} UTC.",
    "The limit of {n} open files per process was reached on every node at about the same time.",
];

/// Fills `{slot}` placeholders in a template.
fn fill(rng: &mut Rng, template: &str, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("closed slot");
        let slot = &rest[open + 1..close];
        match slot {
            "name" | "name2" | "name3" => out.push_str(rng.pick(NAMES)),
            "team" => out.push_str(rng.pick(TEAMS)),
            "svc" => out.push_str(rng.pick(SERVICES)),
            "comp" => out.push_str(rng.pick(COMPONENTS)),
            "host" => out.push_str(rng.pick(HOSTS)),
            "code" => out.push_str(rng.pick(CODES)),
            "link" => out.push_str(rng.pick(LINKS)),
            "emoji" => out.push_str(rng.pick(EMOJI)),
            "t" => push_time(rng, out),
            "n" => out.push_str(&rng.range(2, 90).to_string()),
            "pct" => out.push_str(&rng.range(3, 99).to_string()),
            "ms" => out.push_str(&rng.range(40, 300).to_string()),
            "ms2" => out.push_str(&rng.range(800, 9000).to_string()),
            other => panic!("unknown slot {other}"),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

fn push_time(rng: &mut Rng, out: &mut String) {
    let (h, m) = (rng.below(24), rng.below(60));
    out.push_str(&format!("{h:02}:{m:02}"));
}

/// Which sentence sets a document draws from.
#[derive(Clone, Copy)]
struct Style {
    plain: bool,
}

impl Style {
    fn sentence(self, rng: &mut Rng, out: &mut String) {
        let t = if self.plain {
            rng.pick(PLAIN)
        } else if rng.chance(BLAME_SHARE) {
            rng.pick(BLAME)
        } else {
            rng.pick(CLEAN)
        };
        fill(rng, t, out);
    }

    fn from(self, rng: &mut Rng, clean: &[&str], blame: &[&str], out: &mut String) {
        let t = if self.plain {
            rng.pick(PLAIN)
        } else if rng.chance(BLAME_SHARE) {
            rng.pick(blame)
        } else {
            rng.pick(clean)
        };
        fill(rng, t, out);
    }

    fn paragraph(self, rng: &mut Rng, sentences: usize, out: &mut String) {
        for i in 0..sentences {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(rng, out);
        }
        out.push_str("\n\n");
    }
}

const TITLES: &[&str] = &[
    "{svc} outage after config change",
    "Elevated latency on {svc}",
    "Partner API down after TLS certificate expiry",
    "Queue backlog in {svc}",
    "Stale reads from the {comp}",
    "Partial outage of {svc} in eu-west-1",
];

fn header(rng: &mut Rng, style: Style, first: bool, out: &mut String) {
    let id = format!("INC-2026-{:04}", rng.below(10_000));
    let sev = format!("SEV{}", rng.range(1, 3));
    let day = rng.range(1, 28);
    let mut detected = String::new();
    push_time(rng, &mut detected);
    let dur = format!("{}h {}m", rng.below(4), rng.below(60));
    let author = rng.pick(NAMES).to_string();
    let reviewer = rng.pick(NAMES).to_string();
    let mut title = String::new();
    let t = rng.pick(TITLES);
    fill(rng, t, &mut title);
    let form = if first { rng.below(4) } else { rng.below(3) };
    match form {
        3 => {
            out.push_str(&format!(
                "---\nid: {id}\nseverity: {sev}\ndate: 2026-03-{day:02}\nauthors: [{author}]\nstatus: draft\n---\n\n# {title}\n\n"
            ));
        }
        0 => {
            out.push_str(&format!("# {title}\n\n| Field | Value |\n|---|---|\n| Incident ID | {id} |\n| Severity | {sev} |\n"));
            out.push_str(&format!(
                "| Detected | 2026-03-{day:02} {detected} UTC |\n| Duration | {dur} |\n"
            ));
            let status = if style.plain { "Draft" } else { "In review" };
            out.push_str(&format!(
                "| Authors | {author} |\n| Reviewers | {reviewer} |\n| Status | {status} |\n\n"
            ));
        }
        1 => {
            out.push_str(&format!(
                "# {title}\n\n**Incident:** {id}  \n**Severity:** {sev}  \n"
            ));
            out.push_str(&format!("**Date:** 2026-03-{day:02}  \n**Detected:** {detected} UTC  \n**Duration:** {dur}  \n"));
            out.push_str(&format!("**Author:** {author}  \n**Status:** Draft\n\n"));
        }
        _ => {
            out.push_str(&format!(
                "# Postmortem: {title}\n\n- **Date:** 2026-03-{day:02}\n- **Severity:** {sev}\n"
            ));
            out.push_str(&format!(
                "- **Owner:** {author} ({})\n- **Duration:** {dur}\n\n",
                rng.pick(TEAMS)
            ));
        }
    }
    if !style.plain && rng.chance(0.6) {
        out.push_str("This is a blameless postmortem: we describe how the system let this happen, not who to blame.\n\n");
    }
}

fn timeline(rng: &mut Rng, style: Style, entries: usize, out: &mut String) {
    let heading = rng.pick(&[
        "## Timeline (UTC)",
        "## Timeline",
        "## Timeline (all times UTC)",
    ]);
    out.push_str(heading);
    out.push_str("\n\n");
    let (mut h, mut m) = (rng.below(20), rng.below(60));
    let table = rng.chance(0.3);
    let form = rng.below(3);
    if table {
        out.push_str("| Time (UTC) | Event |\n|---|---|\n");
    }
    for _ in 0..entries {
        m += rng.range(1, 9);
        if m >= 60 {
            m -= 60;
            h = (h + 1) % 24;
        }
        let mut ev = String::new();
        style.from(rng, EVENTS, BLAME_EVENTS, &mut ev);
        if table {
            out.push_str(&format!("| {h:02}:{m:02} | {ev} |\n"));
        } else {
            match form {
                0 => out.push_str(&format!("- {h:02}:{m:02} — {ev}\n")),
                1 => out.push_str(&format!("- **{h:02}:{m:02}** {ev}\n")),
                _ => out.push_str(&format!("* {h:02}:{m:02}Z: {ev}\n")),
            }
        }
    }
    out.push('\n');
}

fn factors(rng: &mut Rng, style: Style, n: usize, out: &mut String) {
    let heading = rng.pick(&[
        "## Contributing factors",
        "## Contributing Factors",
        "## What contributed",
    ]);
    out.push_str(heading);
    out.push_str("\n\n");
    let numbered = rng.chance(0.5);
    for i in 0..n {
        if numbered {
            out.push_str(&format!("{}. ", i + 1));
        } else {
            out.push_str("- ");
        }
        style.from(rng, FACTORS, BLAME_FACTORS, out);
        if rng.chance(0.3) {
            out.push(' ');
            style.sentence(rng, out);
        }
        out.push('\n');
    }
    out.push('\n');
}

fn actions(rng: &mut Rng, style: Style, n: usize, out: &mut String) {
    out.push_str(rng.pick(&[
        "## Action items\n\n",
        "## Action Items\n\n",
        "## Follow-ups\n\n",
    ]));
    let table = rng.chance(0.5);
    if table {
        out.push_str("| Action | Owner | Due | Ticket |\n|---|---|---|---|\n");
    }
    for _ in 0..n {
        let mut a = String::new();
        style.from(rng, ACTIONS, BLAME_ACTIONS, &mut a);
        let owner = format!("@{}", rng.pick(TEAMS).to_lowercase());
        let due = format!("2026-04-{:02}", rng.range(1, 30));
        let ticket = format!("OPS-{}", rng.range(1000, 9999));
        if table {
            out.push_str(&format!("| {a} | {owner} | {due} | [{ticket}](https://jira.example.com/browse/{ticket}) |\n"));
        } else {
            out.push_str(&format!(
                "- [ ] {a} — owner: {owner}, due {due} ({ticket})\n"
            ));
        }
    }
    out.push('\n');
}

const CODE_BLOCKS: &[&str] = &[
    "```yaml\ncache:\n  max_entries: 200000\n  ttl_seconds: 30   # was 300\n  pool:\n    size: 400\n```\n\n",
    "```console\n$ kubectl -n checkout rollout undo deploy/checkout-api\ndeployment.apps/checkout-api rolled back\n$ kubectl -n checkout get pods | grep -c Running\n48\n```\n\n",
    "```sql\nSELECT status, count(*) FROM orders\nWHERE created_at > now() - interval '1 hour'\nGROUP BY status;\n```\n\n",
    "```text\n2026-03-07T02:14:07Z ERROR tls: certificate has expired or is not yet valid\n2026-03-07T02:14:07Z WARN  retrying in 250ms (attempt 3/5)\n2026-03-07T02:14:08Z ERROR upstream connect error: human error? no: x509 expired\n```\n\n",
    "```bash\n# should have been automated; blame the cron\nfor h in $(cat hosts.txt); do openssl s_client -connect \"$h:443\" </dev/null | openssl x509 -noout -enddate; done\n```\n\n",
];

const CHAT: &[&str] = &[
    "is anyone looking at {svc}? error rate is climbing {emoji}",
    "rolling back `{code}` now",
    "who broke prod?? 😅",
    "dashboards look green again",
    "I think it's the {comp}, graphs attached",
    "paging {team} on-call",
];

fn chat(rng: &mut Rng, style: Style, out: &mut String) {
    let lines = rng.range(2, 5);
    for _ in 0..lines {
        let name = rng.pick(NAMES);
        out.push_str(&format!("> **{name}** ("));
        push_time(rng, out);
        out.push_str("): ");
        let t = if style.plain {
            "rolling back `{code}` now"
        } else {
            rng.pick(CHAT)
        };
        fill(rng, t, out);
        out.push_str("  \n");
    }
    out.push('\n');
}

/// Writes one postmortem of roughly `budget` bytes.
fn postmortem(rng: &mut Rng, style: Style, budget: usize, first: bool, out: &mut String) {
    let start = out.len();
    let units = (budget / 1000).max(1);
    let small = budget < 2000;
    header(rng, style, first, out);
    out.push_str(rng.pick(&[
        "## Summary\n\n",
        "## Overview\n\n",
        "## Executive summary\n\n",
    ]));
    style.paragraph(rng, 2 + units.min(4), out);
    if !small && rng.chance(0.5) {
        out.push_str("## Impact\n\n");
        style.paragraph(rng, 2, out);
    }
    timeline(rng, style, 2 + units * 2, out);
    factors(rng, style, 2 + units.min(5), out);
    // Discussion: fills most of the remaining budget with prose, code and chat.
    out.push_str(rng.pick(&[
        "## Analysis\n\n",
        "## Detailed analysis\n\n",
        "## What happened\n\n",
    ]));
    let reserve = 300 + 120 * units.min(8);
    while out.len() - start + reserve < budget {
        match rng.below(10) {
            // Plain text keeps to the blocks without trigger words, even though code is
            // never judged, so that a test can check the raw text.
            0 => out.push_str(rng.pick(if style.plain {
                &CODE_BLOCKS[..2]
            } else {
                CODE_BLOCKS
            })),
            1 => chat(rng, style, out),
            2 => {
                out.push_str(&format!("### {}\n\n", rng.pick(COMPONENTS)));
                let n = rng.range(2, 5);
                style.paragraph(rng, n, out);
            }
            3 => {
                for _ in 0..rng.range(2, 4) {
                    out.push_str("- ");
                    style.sentence(rng, out);
                    out.push('\n');
                }
                out.push('\n');
            }
            _ => {
                let n = rng.range(2, 6);
                style.paragraph(rng, n, out);
            }
        }
    }
    if !small && rng.chance(0.5) {
        out.push_str("## What went well\n\n");
        style.paragraph(rng, 2, out);
    }
    actions(rng, style, 1 + units.min(6), out);
}

fn build(seed: u64, approx_bytes: usize, style: Style) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(approx_bytes + 4096);
    let mut first = true;
    while out.len() < approx_bytes {
        let remaining = approx_bytes - out.len();
        let mut budget = remaining.min(rng.range(3000, 12000));
        if remaining - budget < 1500 {
            budget = remaining;
        }
        if !first {
            out.push('\n');
        }
        postmortem(&mut rng, style, budget, first, &mut out);
        first = false;
    }
    out
}

/// Realistic postmortem Markdown of about `approx_bytes` bytes (one document for small
/// sizes, several concatenated postmortems for large ones), with about
/// [`BLAME_SHARE`] blame sentences. Deterministic in `(seed, approx_bytes)`.
pub fn generate(seed: u64, approx_bytes: usize) -> String {
    build(seed, approx_bytes, Style { plain: false })
}

/// One postmortem of about `approx_bytes` bytes, built as [`generate`] builds each of
/// its postmortems: a header, every section, and a discussion that fills the budget.
/// Deterministic in `(seed, approx_bytes)`. The benchmarks time "a typical 10 KB
/// postmortem" on these; [`generate`]'s documents of a given size may hold two or three
/// shorter postmortems.
pub fn generate_one(seed: u64, approx_bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(approx_bytes + 4096);
    postmortem(
        &mut rng,
        Style { plain: false },
        approx_bytes,
        true,
        &mut out,
    );
    out
}

/// The twenty single postmortems of about 10 KB (seeds 1 to 20, [`generate_one`]) that
/// the `lint-postmortem/` benchmarks and the `in_turn` example time.
pub fn typical_postmortems() -> Vec<String> {
    (1..=20).map(|seed| generate_one(seed, 10_000)).collect()
}

/// The text of every file in `dir`, in path order: the documents the `profile` example
/// lints in turn (`UNBLAME_PROFILE_DIR`) and `pgo_train` trains the profile-guided build on.
pub fn read_dir_texts(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut paths = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    paths.sort();
    paths.iter().map(std::fs::read_to_string).collect()
}

/// The same document shapes as [`generate`], but built only from sentences without any
/// trigger word of the built-in lexicon: the phrase matcher finds nothing to judge.
pub fn generate_plain(seed: u64, approx_bytes: usize) -> String {
    build(seed, approx_bytes, Style { plain: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_near_size() {
        for &size in &[1_000usize, 10_000, 100_000, 1_000_000] {
            let a = generate(7, size);
            assert_eq!(a, generate(7, size));
            assert!(a.len() >= size, "{} < {size}", a.len());
            assert!(
                a.len() < size + size / 2 + 2_000,
                "{} too large for {size}",
                a.len()
            );
        }
        assert_ne!(generate(1, 10_000), generate(2, 10_000));
    }

    /// `generate_one` gives one whole postmortem near the size asked for, as the linter
    /// reads it: one summary, a timeline, factors and action items; the same text for
    /// the same seed.
    #[test]
    fn one_postmortem_near_size() {
        use unblame::lexicon::SectionKind;
        for seed in 1..=20 {
            let a = generate_one(seed, 10_000);
            assert_eq!(a, generate_one(seed, 10_000));
            assert!((9_000..11_000).contains(&a.len()), "{seed}: {}", a.len());
            let s = unblame::check(&a).structure.expect("read as a postmortem");
            let count = |k| s.sections.iter().filter(|x| x.kind == k).count();
            assert_eq!(count(SectionKind::Summary), 1, "{seed}");
            assert_eq!(count(SectionKind::Timeline), 1, "{seed}");
            assert!(s.timeline_entries.is_some_and(|n| n >= 10), "{seed}");
            assert!(s.contributing_factors.is_some_and(|n| n >= 2), "{seed}");
            assert!(s.action_items.is_some_and(|n| n >= 1), "{seed}");
        }
        assert_ne!(generate_one(1, 10_000), generate_one(2, 10_000));
    }

    #[test]
    fn has_the_promised_ingredients() {
        let t = generate(42, 100_000);
        for needle in [
            "```",
            "> **",
            "| Action |",
            "](https://",
            "`",
            "UTC",
            "ö",
            "🔥",
            "alert fired",
            "## Timeline",
        ] {
            assert!(t.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn plain_text_has_no_trigger_words() {
        let linter = unblame::Linter::new(unblame::Config::default()).unwrap();
        let text = generate_plain(9, 200_000).to_lowercase();
        let is_word =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@');
        let mut found = std::collections::BTreeSet::new();
        for rule in linter.phrase_rules() {
            for trig in &rule.spec.triggers {
                let trig = trig.trim().to_lowercase();
                for variant in [trig.clone(), trig.replace('-', " ")] {
                    for (i, _) in text.match_indices(&variant) {
                        let before = text[..i].chars().next_back();
                        let after = text[i + variant.len()..].chars().next();
                        if !is_word(before) && !is_word(after) {
                            found.insert(format!("{variant:?} ({})", rule.id));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "trigger words in plain text: {found:?}");
        assert!(linter
            .lint(&generate_plain(9, 20_000))
            .findings
            .iter()
            .all(|f| f.category == "structure"));
    }

    #[test]
    fn blame_share_is_about_five_percent() {
        let t = generate(3, 1_000_000);
        let blame = BLAME
            .iter()
            .chain(BLAME_EVENTS)
            .chain(BLAME_FACTORS)
            .chain(BLAME_ACTIONS)
            .map(|s| s.split('{').next().unwrap_or(""))
            .filter(|p| p.len() > 8);
        let hits: usize = blame.map(|p| t.matches(p).count()).sum();
        // Sentences, events, factors and actions: count sentence ends and list items.
        let units = t.matches(". ").count() + t.matches(".\n").count() + t.matches("\n- ").count();
        let share = hits as f64 / units as f64;
        assert!((0.005..0.12).contains(&share), "blame share {share}");
    }
}
