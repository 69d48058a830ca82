package main

import (
	"encoding/json"
	"fmt"
)

// outcome of one check that did not fail: skip != "" means a documented quirk of the peer
// made the check impossible, and says which.
type outcome struct{ skip string }

var pass = outcome{}

func skip(reason string) outcome { return outcome{skip: reason} }

type checkRecord struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

// reporter prints PASS/FAIL/SKIP lines and the closing `N passed, N failed, N skipped` line.
type reporter struct {
	json                    bool
	checks                  []checkRecord
	passed, failed, skipped int
}

// record runs one check and prints its line.
func (r *reporter) record(name string, check func() (outcome, error)) {
	o, err := check()
	status, detail := "PASS", ""
	switch {
	case err != nil:
		status, detail = "FAIL", err.Error()
		r.failed++
	case o.skip != "":
		status, detail = "SKIP", o.skip
		r.skipped++
	default:
		r.passed++
	}
	if r.json {
		r.checks = append(r.checks, checkRecord{name, status, detail})
	} else if detail == "" {
		fmt.Printf("%s %s\n", status, name)
	} else {
		fmt.Printf("%s %s: %s\n", status, name, detail)
	}
}

// finish prints the summary and tells whether every check passed or was skipped.
func (r *reporter) finish() bool {
	if r.json {
		document, _ := json.Marshal(map[string]interface{}{
			"peer": "go", "checks": r.checks, "passed": r.passed, "failed": r.failed, "skipped": r.skipped,
		})
		fmt.Println(string(document))
	} else {
		fmt.Printf("%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	}
	return r.failed == 0
}
