//! PASS/FAIL/SKIP lines and the closing `N passed, N failed, N skipped` line of the client mode.

use serde_json::json;

/// How one check ended when it did not fail.
pub enum Outcome {
    Pass,
    /// A documented quirk of the peer makes the check impossible; the reason says which.
    Skip(String),
}

pub struct Reporter {
    json: bool,
    checks: Vec<serde_json::Value>,
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Reporter {
    pub fn new(json: bool) -> Reporter {
        Reporter { json, checks: Vec::new(), passed: 0, failed: 0, skipped: 0 }
    }

    pub fn record(&mut self, name: &str, result: Result<Outcome, String>) {
        let (status, detail) = match result {
            Ok(Outcome::Pass) => {
                self.passed += 1;
                ("PASS", String::new())
            }
            Ok(Outcome::Skip(reason)) => {
                self.skipped += 1;
                ("SKIP", reason)
            }
            Err(why) => {
                self.failed += 1;
                ("FAIL", why)
            }
        };
        if self.json {
            self.checks.push(json!({"name": name, "status": status, "detail": detail}));
        } else if detail.is_empty() {
            println!("{status} {name}");
        } else {
            println!("{status} {name}: {detail}");
        }
    }

    /// Prints the summary and tells whether every check passed or was skipped.
    pub fn finish(self) -> bool {
        if self.json {
            let document = json!({
                "peer": "rust",
                "checks": self.checks,
                "passed": self.passed,
                "failed": self.failed,
                "skipped": self.skipped,
            });
            println!("{document}");
        } else {
            println!("{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped);
        }
        self.failed == 0
    }
}
