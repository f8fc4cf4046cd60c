#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make-scenario.py: writes bench/scenario.json, the benchmark's model (30 fields, 60 partners).
"""The benchmark scenario is generated once and committed; rerun this only to change it.

It is made up (nothing in it is a fact): a Graph-API-like API gated by all three settings,
a device API gated by audience only, and a marketing API gated by the platform switch;
40 apps, 12 device makers and 8 data brokers, with server and on-device destinations in
several jurisdictions and downstream shares from apps to brokers, so that every channel of
the engine (self, friend, friend of friend, downstream) carries data.
"""
import json
import random
import sys

GROUPS = {
    "identity": ["identity"],
    "social": ["social.friend_list", "social.groups", "social.events", "social.likes"],
    "profile": ["profile.birthday", "profile.hometown", "profile.location", "profile.religion",
                "profile.politics", "profile.relationship", "profile.education",
                "profile.work", "profile.about", "profile.website"],
    "media": ["media.photos", "media.videos", "media.checkins"],
    "contact": ["contact.email", "contact.phone", "contact.address"],
    "messages": ["messages.inbox", "messages.outbox"],
    "activity": ["activity.posts", "activity.comments", "activity.reactions",
                 "activity.searches", "activity.status"],
    "device": ["device.contacts", "device.calendar"],
}
SENSITIVE = {"profile.religion", "profile.politics", "messages.inbox", "messages.outbox",
             "device.contacts"}
JURISDICTIONS = ["US", "IE", "GB", "DE", "CN", "IN", "SG", "RU"]


def fields():
    out = []
    for ids in GROUPS.values():
        for f in ids:
            out.append({"id": f, "sensitive": f in SENSITIVE})
    assert len(out) == 30, len(out)
    return out


def apis():
    groups = [g for g in GROUPS if g != "device"]
    graph = [{"id": "user_" + g, "subject": "self", "fields": [g]} for g in groups]
    graph += [{"id": "friends_" + g, "subject": "friends", "fields": [g]} for g in groups]
    device = [{"id": "owner", "subject": "self", "fields": ["*"]},
              {"id": "friends", "subject": "friends", "fields": ["*"]},
              {"id": "friends_of_friends", "subject": "friends_of_friends",
               "fields": ["identity", "social.friend_list"]}]
    marketing = [{"id": "profile", "subject": "self", "fields": ["identity", "profile", "contact"]},
                 {"id": "activity", "subject": "self", "fields": ["activity", "media"]}]
    return [
        {"id": "graph", "respects": ["platform", "apps_others", "audience"], "scopes": graph},
        {"id": "device", "respects": ["audience"], "scopes": device},
        {"id": "marketing", "respects": ["platform"], "scopes": marketing},
    ]


def destination(rng, i, fields_):
    if rng.random() < 0.2:
        return {"id": "d%d" % i, "location": "device", "fields": fields_}
    return {"id": "d%d" % i, "location": "server", "jurisdiction": rng.choice(JURISDICTIONS),
            "fields": fields_}


def partners(rng):
    out = []
    groups = [g for g in GROUPS if g != "device"]
    brokers = ["broker%02d" % i for i in range(8)]
    for i in range(40):
        asked = rng.sample(groups, rng.randint(2, 6))
        reqs = ["user_" + g for g in asked] + ["friends_" + g for g in asked
                                               if rng.random() < 0.7]
        shares = [{"with": b, "fields": rng.sample(asked, 1)}
                  for b in rng.sample(brokers, rng.randint(0, 2))]
        out.append({"id": "app%02d" % i, "kind": "app", "tags": ["flagged"] if i % 7 == 0 else [],
                    "integrates": ["graph"], "requests": reqs,
                    "destinations": [destination(rng, 0, asked)], "shares": shares})
    for i in range(12):
        dests = [{"id": "handset", "location": "device", "fields": ["*"]}]
        if i % 3 == 0:
            dests.append({"id": "cloud", "location": "server",
                          "jurisdiction": rng.choice(JURISDICTIONS), "fields": ["identity",
                                                                                "contact"]})
        out.append({"id": "maker%02d" % i, "kind": "device_maker", "integrates": ["device"],
                    "requests": ["*"], "destinations": dests,
                    "shares": [{"with": rng.choice(brokers), "fields": ["identity"]}]
                    if i % 3 == 0 else []})
    for i, b in enumerate(brokers):
        out.append({"id": b, "kind": "data_broker", "integrates": ["marketing"],
                    "requests": ["*"],
                    "destinations": [{"id": "db", "location": "server",
                                      "jurisdiction": JURISDICTIONS[i % len(JURISDICTIONS)],
                                      "fields": ["*"]}],
                    "shares": [{"with": brokers[(i + 1) % len(brokers)],
                                "fields": ["identity", "contact"]}] if i % 2 == 0 else []})
    return out


def main():
    rng = random.Random(3)
    ps = partners(rng)
    adoption = {p["id"]: round(rng.uniform(0.002, 0.03), 4) for p in ps}
    scenario = {
        "scenario": "bench",
        "title": "Benchmark: 30 fields, 60 partners (made up)",
        "description": "A made-up model for the benchmark (bench/run.sh): every channel carries "
                       "data. Generated by bench/make-scenario.py.",
        "date": "2014-06-01",
        "seed": 7,
        "fields": fields(),
        "apis": apis(),
        "partners": ps,
        "rules": [
            {"id": "graph-open", "effect": "allow", "partners": ["kind:app"], "apis": ["graph"]},
            {"id": "flagged-no-friends", "effect": "deny", "partners": ["tag:flagged"],
             "apis": ["graph"], "scopes": ["friends_*"], "from": "2014-01-01"},
            {"id": "devices", "effect": "allow", "partners": ["kind:device_maker"],
             "apis": ["device"], "until": "2018-06-08"},
            {"id": "marketing", "effect": "allow", "partners": ["kind:data_broker"],
             "apis": ["marketing"]},
        ],
        "population": {
            "generator": "facebook_like", "users": 100000, "mean_degree": 100,
            "settings": {
                "platform_off": 0.03, "apps_others_restricted": 0.15,
                "apps_others_restricted_fields": ["profile.religion", "profile.politics",
                                                  "contact", "messages"],
                "audience": {
                    "*": {"public": 0.25, "friends_of_friends": 0.15, "friends": 0.5,
                          "only_me": 0.1},
                    "identity": {"public": 1},
                    "messages": {"only_me": 0.9, "friends": 0.1},
                },
            },
            "adoption": adoption,
        },
    }
    json.dump(scenario, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
