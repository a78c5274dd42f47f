#!/usr/bin/env python3
"""Checks Schemas/vectors/events.ndjson against the spec without any smcc code.

For every vector: decodes the stored payload `storedHex` with its personal part `personalHex`
(format 2) and, for a vector that is not erased, the whole-event payload `payloadHex` (format 1)
with the decoder below (written from Schemas/log-format.md section 6 alone), compares the results
with the `json` line, checks the line is exactly what
json.dumps(obj, ensure_ascii=False, separators=(",", ":")) prints, and validates it against
Schemas/events/event.schema.json. Prints "ok" on success. Needs the jsonschema package.
"""
import datetime, json, pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
EVENTS = HERE.parent / "events"

CHANNEL = ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"]
ROLE = ["ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"]
OUTCOME = ["answered", "noAction", "spam", "duplicate"]
PRIORITY = ["low", "normal", "high", "urgent"]
S, SS, T, B, C = "string", "strings", "time", "bool", "count"
# kind code -> (name, has flags, [(field, type, optional)])
KINDS = {
    1: ("postReceived", True, [("post", S, 0), ("channel", CHANNEL, 0), ("author", S, 0), ("text", S, 0),
        ("hashtags", SS, 0), ("mentions", SS, 0), ("postedAt", T, 0), ("inReplyTo", S, 1),
        ("conversation", S, 1), ("isRepost", B, 1), ("url", S, 1), ("repostCount", C, 1), ("likeCount", C, 1),
        ("quoteOf", S, 1)]),
    2: ("postPublished", True, [("post", S, 0), ("channel", CHANNEL, 0), ("text", S, 0), ("media", SS, 1)]),
    3: ("postAssigned", False, [("post", S, 0), ("to", S, 0)]),
    4: ("postUnassigned", True, [("post", S, 0), ("reason", S, 1)]),
    5: ("replied", True, [("post", S, 0), ("text", S, 0), ("replyPost", S, 1)]),
    6: ("escalated", True, [("post", S, 0), ("to", S, 0), ("reason", S, 0), ("priority", PRIORITY, 1)]),
    7: ("escalationResolved", True, [("post", S, 0), ("resolution", S, 1)]),
    8: ("postResolved", False, [("post", S, 0), ("outcome", OUTCOME, 0)]),
    9: ("noteAdded", False, [("post", S, 0), ("text", S, 0)]),
    10: ("postTagged", False, [("post", S, 0), ("tags", SS, 0)]),
    11: ("volunteerJoined", True, [("volunteer", S, 0), ("name", S, 0), ("role", ROLE, 0), ("team", S, 1)]),
    12: ("volunteerLeft", False, [("volunteer", S, 0)]),
    13: ("roleChanged", False, [("volunteer", S, 0), ("from", ROLE, 0), ("to", ROLE, 0)]),
    14: ("shiftStarted", False, [("volunteer", S, 0)]),
    15: ("shiftEnded", False, [("volunteer", S, 0)]),
    16: ("listeningRuleAdded", False, [("rule", S, 0)]),
    17: ("listeningRuleRemoved", False, [("rule", S, 0)]),
    18: ("eventDescribed", True, [("name", S, 0), ("timeZone", S, 0), ("firstDay", S, 0), ("lastDay", S, 0),
         ("hashtags", SS, 0), ("venue", S, 1)]),
    19: ("personalDataErased", True, [("posts", SS, 0), ("reason", S, 1)]),
    20: ("logUpgraded", False, [("fromFormat", S, 0), ("previousHead", S, 0)]),
}
# kind name -> its personal fields in order (section 6): held emptied in the payload, and in the
# personal part instead.
PERSONAL = {
    "postReceived": ["author", "text", "mentions", "url"],
    "postPublished": ["text"], "replied": ["text"], "noteAdded": ["text"],
    "postUnassigned": ["reason"], "escalated": ["reason"], "escalationResolved": ["resolution"],
    "volunteerJoined": ["name"], "personalDataErased": ["reason"],
}


def rfc3339(ms):
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def parse_time(text):
    return round((datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
                  - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) / datetime.timedelta(milliseconds=1))


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def varint(self):
        value = shift = 0
        while True:
            b = self.data[self.pos]; self.pos += 1
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    def string(self):
        n = self.varint()
        if self.pos + n > len(self.data):
            raise ValueError("string runs past the bytes")
        s = self.data[self.pos:self.pos + n].decode("utf-8"); self.pos += n
        return s


def is_empty(value):
    return value in ("", [], None)


def decode_stored(stored, personal, erased, seq, at_ms):
    """A record of format 2: the payload with its personal fields emptied, plus the personal part
    (or none, erased or not)."""
    obj = decode(stored, seq, at_ms)
    names = PERSONAL.get(obj["kind"], [])
    for name in names:
        if not is_empty(obj.get(name)):
            raise ValueError(f"personal field {name} not empty in the payload")
    if erased:
        for name in names:
            obj.pop(name, None)
        obj["erased"] = True
        return obj
    if not personal:
        return obj
    if not names:
        raise ValueError("a personal part for a kind without personal fields")
    r = Reader(personal)
    flags = r.varint()
    if flags >> len(names):
        raise ValueError("undefined presence bit in the personal part")
    for bit, name in enumerate(names):
        if flags >> bit & 1:
            obj[name] = [r.string() for _ in range(r.varint())] if name == "mentions" else r.string()
    if r.pos != len(personal):
        raise ValueError("bytes left over in the personal part")
    # Back in the order of section 7: the kind's fields in table order.
    name, _, fields = KINDS[stored[0]]
    order = ["seq", "at", "actor", "kind"] + [f for f, _, _ in fields]
    return {key: obj[key] for key in order if key in obj}


def decode(payload, seq, at_ms):
    pos = 0

    def varint():
        nonlocal pos
        value = shift = 0
        while True:
            b = payload[pos]; pos += 1
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    def string():
        nonlocal pos
        n = varint()
        if pos + n > len(payload):
            raise ValueError("string runs past the payload")
        s = payload[pos:pos + n].decode("utf-8"); pos += n
        return s

    name, has_flags, fields = KINDS[payload[0]]
    pos = 1
    obj = {"seq": seq, "at": rfc3339(at_ms), "actor": string(), "kind": name}
    flags = varint() if has_flags else 0
    optional_index = 0
    for field, kind, optional in fields:
        if optional:
            present = flags >> optional_index & 1
            optional_index += 1
            if not present:
                continue
        if kind == S:
            obj[field] = string()
        elif kind == SS:
            obj[field] = [string() for _ in range(varint())]
        elif kind == T:
            z = varint()
            obj[field] = rfc3339(at_ms + ((z >> 1) ^ -(z & 1)))
        elif kind == B:
            obj[field] = True
        elif kind == C:
            obj[field] = varint()
            if obj[field] >= 1 << 63:
                raise ValueError("count above 2^63 - 1")
        else:
            obj[field] = kind[payload[pos]]; pos += 1
    if flags >> optional_index:
        raise ValueError("undefined flag bit")
    if pos != len(payload):
        raise ValueError("bytes left over")
    return obj


def main():
    import jsonschema, referencing
    resources = []
    for path in EVENTS.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    validator = jsonschema.Draft202012Validator(json.loads((EVENTS / "event.schema.json").read_text()), registry=registry)
    lines = (HERE / "events.ndjson").read_text(encoding="utf-8").split("\n")[:-1]
    kinds = set()
    for n, line in enumerate(lines, 1):
        vector = json.loads(line)
        obj = json.loads(vector["json"])
        again = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        assert again == vector["json"], f"vector {n}: not what json.dumps prints:\n{again}\n{vector['json']}"
        erased = vector.get("erased") == "true"
        at_ms = parse_time(obj["at"])
        stored = decode_stored(bytes.fromhex(vector["storedHex"]), bytes.fromhex(vector["personalHex"]),
                               erased, obj["seq"], at_ms)
        assert stored == obj and list(stored) == list(obj), f"vector {n}: record decodes to\n{stored}\nnot\n{obj}"
        if not erased:
            decoded = decode(bytes.fromhex(vector["payloadHex"]), obj["seq"], at_ms)
            assert decoded == obj and list(decoded) == list(obj), f"vector {n}: payload decodes to\n{decoded}\nnot\n{obj}"
        validator.validate(obj)
        kinds.add(obj["kind"])
    expected = {name for name, _, _ in KINDS.values()}
    assert kinds >= expected, f"kinds not covered: {sorted(expected - kinds)}"
    print(f"{len(lines)} vectors")
    print("ok")


if __name__ == "__main__":
    main()
