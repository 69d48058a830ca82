#!/usr/bin/env python3
"""Writes the jsonrpc-fdpass framing vectors (cases.json, the *.bin deliveries and README.md) from the rules of the
upstream spec (bootc-dev/jsonrpc-fdpass README sections 2-5 and 7) and shared/brief/jsonrpc-fdpass.md.

    generate.py           (re)write the vectors beside this script
    generate.py --check   exit 1 if a committed file differs from what this script writes

Independent of every codec it tests: the bytes are spelled out here, and the send schedules follow from the rule
(first batch on byte 0 of the message, each further batch with exactly one 0x20 byte).
"""

import argparse
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCM_MAX_FD = 253  # Linux: the most fds one sendmsg may carry

REQUEST = b'{"jsonrpc":"2.0","method":"echo","params":[1],"id":1}'
NOTIFICATION = b'{"jsonrpc":"2.0","method":"progress","params":{"done":3}}'
RESPONSE = b'{"jsonrpc":"2.0","result":{"ok":true},"id":"a"}'
PRETTY = (b'{\n  "jsonrpc": "2.0",\n  "method": "echo",\n  "params": {\n    "nested": [\n      1,\n'
          b'      "two"\n    ]\n  },\n  "id": 2\n}')


def value(raw):
    return json.loads(raw)


def with_fds(raw, count):
    """raw with a top-level "fds" member appended (the count may be any JSON text, for the invalid cases)."""
    return raw[:-1] + b',"fds":' + count + b"}"


def case(name, pins, deliveries, messages, end="clean"):
    """deliveries: [(bytes, fd count)]; messages: [(value, [fd numbers], rpc reaction)]."""
    return {
        "name": name,
        "pins": pins,
        "deliveries": [{"bytes": data, "fds": fds} for data, fds in deliveries],
        "messages": [{"value": v, "fds": f, "rpc": r} for v, f, r in messages],
        "end": end,
    }


def fatal(kind):
    return {"fatal": kind}


def invalid(reply_id):
    return {"invalid": -32600, "reply_id": reply_id}


def receive_cases():
    req, note, resp = value(REQUEST), value(NOTIFICATION), value(RESPONSE)
    req_fds2 = with_fds(REQUEST, b"2")
    return [
        case("single-compact", "one compact request, nothing around it", [(REQUEST, 0)], [(req, [], "request")]),
        case("concatenated", "three messages back to back with no separator (README 2.2: no newline framing)",
             [(REQUEST + NOTIFICATION + RESPONSE, 0)],
             [(req, [], "request"), (note, [], "notification"), (resp, [], "response")]),
        case("whitespace-separated", "all four JSON whitespace bytes before, between and after messages",
             [(b" \t\r\n" + REQUEST + b"\n\n \t" + NOTIFICATION + b"\r\n", 0)],
             [(req, [], "request"), (note, [], "notification")]),
        case("pretty-printed", "a multi-line pretty-printed message followed by a compact one (Rust set_pretty)",
             [(PRETTY + RESPONSE, 0)], [(value(PRETTY), [], "request"), (resp, [], "response")]),
        case("unicode-and-escapes", "multi-byte UTF-8, U+2028, escaped and raw <>& and a 2^53+1 id stay exact",
             [('{"jsonrpc":"2.0","method":"echo","params":["caf\u00e9 \u2028 \U0001F600","\\u003c&>"],'
               '"id":9007199254740993}'.encode("utf-8"), 0)],
             [({"jsonrpc": "2.0", "method": "echo", "params": ["caf\u00e9 \u2028 \U0001F600", "<&>"],
                "id": 9007199254740993}, [], "request")]),
        case("fds-with-message", "fds on the message's first byte go to that message in order",
             [(req_fds2, 2)], [(value(req_fds2), [0, 1], "request")]),
        case("fds-batched", "5 fds in batches of 2, 2, 1: the later batches each ride on one 0x20 byte (README 4.1)",
             [(with_fds(REQUEST, b"5"), 2), (b" ", 2), (b" ", 1)],
             [(value(with_fds(REQUEST, b"5")), [0, 1, 2, 3, 4], "request")]),
        case("fds-zero-explicit", '"fds":0 is the same as no fds', [(with_fds(REQUEST, b"0"), 0)],
             [(value(with_fds(REQUEST, b"0")), [], "request")]),
        case("fds-queued-ahead", "two messages with one fd each in one read: the FIFO hands them out in order",
             [(with_fds(REQUEST, b"1") + with_fds(RESPONSE, b"1"), 2)],
             [(value(with_fds(REQUEST, b"1")), [0], "request"), (value(with_fds(RESPONSE, b"1")), [1], "response")]),
        case("fds-then-next-message", "a batched message completes before the next message starts",
             [(req_fds2, 1), (b" ", 1), (NOTIFICATION, 0)],
             [(value(req_fds2), [0, 1], "request"), (note, [], "notification")]),
        case("missing-jsonrpc", "framed fine; JSON-RPC 2.0 section 4: no \"jsonrpc\" is an invalid request (-32600, "
             "answered with its id, the connection stays open)",
             [(b'{"method":"echo","id":7}' + REQUEST, 0)],
             [({"method": "echo", "id": 7}, [], invalid(7)), (req, [], "request")]),
        case("wrong-jsonrpc-version", 'framed fine; "jsonrpc":"1.0" is an invalid request (-32600 with its id)',
             [(b'{"jsonrpc":"1.0","method":"echo","id":"v"}', 0)],
             [({"jsonrpc": "1.0", "method": "echo", "id": "v"}, [], invalid("v"))]),
        case("no-rpc-kind", "an object with neither method, result nor error (Go's omitted null result) is invalid "
             "(-32600 with id null)",
             [(b'{"jsonrpc":"2.0","id":1}', 0)], [({"jsonrpc": "2.0", "id": 1}, [], invalid(None))]),
        case("top-level-array", "a JSON-RPC batch array is fatal (README 2.2: each message is an object)",
             [(b"[" + REQUEST + b"]", 0)], [], fatal("framing")),
        case("top-level-string", "a top-level string is fatal", [(b'"hello"', 0)], [], fatal("framing")),
        case("top-level-number", "a top-level number is fatal", [(b"42 ", 0)], [], fatal("framing")),
        case("top-level-null", "a top-level null is fatal (Go answers -32600 instead)", [(b"null", 0)], [],
             fatal("framing")),
        case("syntax-error", "a JSON syntax error is a fatal framing error (README 5.3.2)",
             [(b'{"jsonrpc":"2.0","method":}', 0)], [], fatal("framing")),
        case("garbage-after-message", "a valid message, then a byte that cannot start a value: fatal after it",
             [(REQUEST + b"x", 0)], [(req, [], "request")], fatal("framing")),
        case("bad-utf8", "invalid UTF-8 inside a string is fatal (README 2.2: UTF-8 MUST)",
             [(b'{"jsonrpc":"2.0","method":"\xff\xfe","id":1}', 0)], [], fatal("framing")),
        case("fds-negative", '"fds":-1 is fatal (README 3.2: non-negative integer; Go panics)',
             [(with_fds(REQUEST, b"-1"), 0)], [], fatal("framing")),
        case("fds-fraction", '"fds":1.5 is fatal (Go would take 1 fd)', [(with_fds(REQUEST, b"1.5"), 1)], [],
             fatal("framing")),
        case("fds-integral-float", '"fds":2.0 is not an integer: fatal', [(with_fds(REQUEST, b"2.0"), 2)], [],
             fatal("framing")),
        case("fds-string", '"fds":"1" is fatal (Rust and Go read it as 0)', [(with_fds(REQUEST, b'"1"'), 1)], [],
             fatal("framing")),
        case("fds-null", '"fds":null is fatal', [(with_fds(REQUEST, b"null"), 0)], [], fatal("framing")),
        case("mismatched-next-message", "the next message starts before all fds arrived: fatal Mismatched Count "
             "(README 5.3.4)", [(req_fds2, 1), (NOTIFICATION, 0)], [], fatal("mismatched-count")),
        case("mismatched-end-of-stream", "end of stream before all fds arrived: fatal Mismatched Count",
             [(req_fds2, 1)], [], fatal("mismatched-count")),
        case("form-feed-while-parked", "while fds are missing only the four JSON whitespace bytes may come; 0x0C "
             "(which Rust accepts) is a Mismatched Count", [(req_fds2, 1), (b"\x0c", 1)], [],
             fatal("mismatched-count")),
        case("end-inside-message", "end of stream inside a JSON value is fatal",
             [(b'{"jsonrpc":"2.0","method":"ec', 0)], [], fatal("closed-mid-message")),
    ]


def schedule(fds, limit):
    """README 4.1: the first batch rides on the message bytes, every further batch on one 0x20 byte."""
    calls = [{"payload": "message", "fds": min(fds, limit)}]
    for sent in range(limit, fds, limit):
        calls.append({"payload": " ", "fds": min(limit, fds - sent)})
    return calls


def send_cases():
    cases = []
    for fds, limit, pins in [
        (0, SCM_MAX_FD, "no fds: one write of the message and no \"fds\" key"),
        (1, SCM_MAX_FD, "one fd on the message's own sendmsg"),
        (5, 2, "the observed Go schedule: 2 + 2 + 1"),
        (3, 1, "batch size 1: every fd after the first on its own 0x20 byte"),
        (20, 8, "the old Go copy's limit of 8: 8 + 8 + 4"),
        (253, SCM_MAX_FD, "exactly SCM_MAX_FD in one sendmsg"),
        (254, SCM_MAX_FD, "one past SCM_MAX_FD: 253 + 1"),
        (300, SCM_MAX_FD, "300 at 253: 253 + 47"),
        (1000, SCM_MAX_FD, "1000 at 253: 253 + 253 + 253 + 241"),
    ]:
        cases.append({"name": "send-%d-fds-limit-%d" % (fds, limit), "pins": pins, "fds": fds,
                      "max_fds_per_sendmsg": limit, "calls": schedule(fds, limit)})
    cases.append({"name": "send-300-fds-limit-500-einval", "fds": 300, "max_fds_per_sendmsg": 500,
                  "pins": "a batch the kernel refuses (EINVAL above 253) is shrunk and retried (README 4.1 SHOULD); "
                          "how far is the implementation's choice (layerfd and the Python peer halve the refused "
                          "batch: 150 + 150; Rust halves its limit: 125 + 125 + 50), so only the rule is pinned",
                  "calls": None,
                  "constraints": {"first_payload": "message", "continuation_payload": " ",
                                  "max_fds_per_call": SCM_MAX_FD, "total_fds": 300}})
    return cases


def build():
    """{file name: bytes} of everything this script writes."""
    files = {}
    receive = []
    for c in receive_cases():
        deliveries = []
        for i, d in enumerate(c["deliveries"]):
            name = "%s.bin" % c["name"] if len(c["deliveries"]) == 1 else "%s.%d.bin" % (c["name"], i)
            files[name] = d["bytes"]
            deliveries.append({"file": name, "fds": d["fds"]})
        c["deliveries"] = deliveries
        receive.append(c)
    document = {
        "spec": "bootc-dev/jsonrpc-fdpass README sections 2-5 and 7; generated by generate.py",
        "fd_content_rule": "number the fds of a receive case 0, 1, 2, ... across its deliveries in order; fd i is a "
                           "file holding the ASCII text fd-<i>. A message's \"fds\" lists the numbers it must get, "
                           "in position order.",
        "delivery_rule": "each delivery is what one read (recvmsg) hands the receiver: the file's bytes and that many "
                         "fds (SCM_RIGHTS); after the last delivery the peer has closed (end of stream). Feed them "
                         "to the receiver's decoding step directly: over a real socket the kernel may merge the bytes "
                         "of fd-less sends into the read that carries the next send's fds (brief section 4).",
        "split_every_byte_rule": "every receive case must give the same messages and the same end when each "
                                 "delivery is instead fed one byte per read, its fds with its first byte",
        "end_rule": "\"clean\": the stream ends between messages; {\"fatal\": kind}: after the listed messages the "
                    "receiver fails with kind framing, mismatched-count or closed-mid-message, closes the "
                    "connection and every queued fd. A syntax error may be reported as soon as its byte arrives.",
        "rpc_rule": "each message's JSON-RPC 2.0 reaction: request, notification, response, or {\"invalid\": "
                    "-32600, \"reply_id\": id}: answered with that error and that id; the connection stays open",
        "send_rule": "a sender with max_fds_per_sendmsg L sending one message with K fds makes exactly these "
                     "sendmsg calls; payload \"message\" is the whole serialised message (whose \"fds\" is K, "
                     "absent for 0), \" \" is exactly one 0x20 byte",
        "receive": receive,
        "send": send_cases(),
    }
    files["cases.json"] = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    readme = [
        "# jsonrpc-fdpass framing vectors",
        "",
        "Generated by `generate.py` (`python3 generate.py --check` verifies the committed files). `cases.json` holds",
        "the rules and every case; each `*.bin` is one delivery (what one read returns) of a receive case. Run by",
        "`layerfd.conformance.vectors.FdpassVectorsTest` against the Java frame decoder, sender and JSON-RPC codec,",
        "and by `conformance-tests/peers/python/fdpass_peer.py vectors` against the Python peer.",
        "",
        "## Receive cases",
        "",
    ]
    readme += ["- `%s`: %s." % (c["name"], c["pins"]) for c in receive]
    readme += ["", "## Send schedules", ""]
    readme += ["- `%s`: %s." % (c["name"], c["pins"]) for c in send_cases()]
    files["README.md"] = ("\n".join(readme) + "\n").encode("utf-8")
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files = build()
    stale = sorted(p.name for p in HERE.glob("*.bin") if p.name not in files)
    if args.check:
        differ = [n for n, data in files.items() if not (HERE / n).is_file() or (HERE / n).read_bytes() != data]
        for name in differ + stale:
            print("differs or stale: %s" % name, file=sys.stderr)
        return 1 if differ or stale else 0
    for name in stale:
        (HERE / name).unlink()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print("wrote %d files" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
