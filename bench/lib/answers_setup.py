#!/usr/bin/env python3
"""Sets up the answer-page benchmark over HTTP, as people would through the site.

One lead signs up, registers an organisation (kind commune), opens a diagnostic on
`territoires` and creates personal invitation links:
  * `--load` links whose responses are started (introduction, then « Commencer »): the load
    generator drives them, each with its own session cookie and CSRF token;
  * one link that checks the bodies the load generator will send (every page answered in full
    with action=next must move on to the next page);
  * `--submitters` links whose respondents answer all 7 pages, with varied answers, and
    submit: the organisation's result page then aggregates them.

Writes into --out: respondents.tsv (token, Cookie header, CSRF token), step-<k>.form (the
page's urlencoded answers with action=save, without the CSRF field) and state.json.
"""

import argparse
import json
import os
import random
import re
import sys
import time
import tomllib
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client, HttpError, csrf_of, expect, form_fields  # noqa: E402

STEPS = 7
QUALITIES = ["inclusif", "frugal", "democratique", "protecteur", "innovant", "capacitant", "equitable"]
ROLES = ["elu", "direction", "dsi", "agent", "partenaire"]
KINDS = {"scale", "single", "multiple", "yes_no", "number", "text"}
TEXT_ANSWER = "Une courte phrase pour le banc d'essai."


def log(*a):
    print("[setup]", *a, file=sys.stderr, flush=True)


def read_questions(path):
    """Question id, quality and kind from `reset-eval questionnaires show territoires`."""
    questions = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            # id, quality, dimension, kind(details), then flags and the text.
            parts = line.split()
            if len(parts) >= 4 and parts[1] in QUALITIES:
                kind = re.match(r"[a-z_]+", parts[3])
                if kind and kind.group(0) in KINDS:
                    questions.append({"id": parts[0], "quality": parts[1], "kind": kind.group(0)})
    if not questions:
        raise SystemExit(f"no question found in {path}")
    return questions


def page_questions(page):
    """What a step page offers, per question id: the kind of field and the values of its choices."""
    found = {}
    for tag, a in form_fields(page):
        name = a.get("name", "")
        if not name.startswith("a."):
            continue
        qid = name[2:]
        entry = found.setdefault(qid, {"field": None, "values": [], "specials": []})
        if tag == "textarea":
            entry["field"] = "textarea"
        elif tag == "input":
            t = a.get("type", "text")
            if t in ("radio", "checkbox"):
                entry["field"] = t
                v = a.get("value", "")
                entry["specials" if v.startswith("__") else "values"].append(v)
            else:
                entry["field"] = "text"
    return found


def load_answer(kind, offered):
    """The answer the load generator sends: valid, the same for everyone."""
    if kind == "scale":
        return ["3"] if "3" in offered else [offered[len(offered) // 2]]
    if kind == "yes_no":
        return ["yes"]
    if kind in ("single", "multiple"):
        return [offered[0]]
    if kind == "number":
        return ["10"]
    return [TEXT_ANSWER]


def varied_answer(kind, offered, rng, outlook, dont_know, exclusive):
    """A respondent's answer for the result page: varied, sometimes « je ne sais pas »."""
    if dont_know and rng.random() < 0.05:
        return ["__dk"]
    if kind == "scale":
        # Around the respondent's outlook (0 to 1), so that respondents and roles differ.
        i = round(outlook * (len(offered) - 1) + rng.gauss(0, 1))
        return [offered[max(0, min(len(offered) - 1, i))]]
    if kind in ("single", "yes_no"):
        return [rng.choice(offered)]
    if kind == "multiple":
        if rng.random() < 0.1:
            return [rng.choice(offered)]
        # Several choices, never with an exclusive one (« aucun »).
        free = [o for o in offered if o not in exclusive] or offered[:1]
        return rng.sample(free, rng.randint(1, len(free)))
    if kind == "number":
        return [str(rng.randint(0, 20))]
    return [TEXT_ANSWER] if rng.random() < 0.5 else [""]


def body_of(answers, action):
    fields = [(f"a.{qid}", v) for qid, values in answers for v in values]
    fields.append(("action", action))
    return urllib.parse.urlencode(fields)


def confirmation_path(outbox, email, wait_s=30):
    """The path of the sign-up confirmation link in the mail to `email` in the server's outbox."""
    import email as mail_lib
    from email import policy
    deadline = time.time() + wait_s
    while time.time() < deadline:
        for name in sorted(os.listdir(outbox)) if os.path.isdir(outbox) else []:
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(outbox, name), "rb") as f:
                message = mail_lib.message_from_binary_file(f, policy=policy.default)
            if message["To"] != email:
                continue
            text = message.get_body(("plain",)).get_content()
            found = re.search(r"https?://[^/\s]+(/signup/confirm/[0-9A-Za-z_-]+)", text)
            if found:
                return found.group(1)
        time.sleep(0.1)
    raise SystemExit(f"no sign-up confirmation mail to {email} in {outbox}")


def start_response(base, token):
    """A respondent opens their link and presses « Commencer »: returns their client, CSRF token
    and the response's own token (starting a personal link gives the response a fresh one)."""
    c = Client(base)
    intro = expect(c.get(f"/r/{token}"), 200, "introduction")
    csrf = csrf_of(intro.text)
    r = expect(c.post(f"/r/{token}/start", {"_csrf": csrf}), 303, "start")
    # The response gets its own link, shown on its introduction page to keep.
    started = re.fullmatch(r".*/r/([0-9a-f]+)(/step/1)?", r.location)
    if not started:
        raise HttpError(f"start went to {r.location}")
    return c, csrf, started.group(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--outbox", required=True, help="the server's outbox folder (mails as .eml)")
    ap.add_argument("--questions", required=True, help="output of `reset-eval questionnaires show territoires`")
    ap.add_argument("--questionnaires-dir", required=True)
    ap.add_argument("--load", type=int, default=200)
    ap.add_argument("--submitters", type=int, default=50)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    t_start = time.time()

    questions = read_questions(args.questions)
    # The exclusive options (« aucun »), which the varied answers must not tick with others.
    version = open(args.questions, encoding="utf-8").read().split()[1]
    with open(os.path.join(args.questionnaires_dir, "territoires", f"{version}.toml"), "rb") as f:
        exclusive = {o["id"] for q in tomllib.load(f)["questions"] for o in q.get("options", []) if o.get("exclusive")}
    by_step = {k: [q for q in questions if q["quality"] == QUALITIES[k - 1]] for k in range(1, STEPS + 1)}
    log(f"{len(questions)} questions: " + ", ".join(f"step {k} {len(v)}" for k, v in by_step.items()))

    # The lead, their organisation and the diagnostic.
    lead = Client(args.base)
    csrf = csrf_of(expect(lead.get("/signup"), 200, "signup form").text)
    password = "banc-d-essai-" + str(rng.getrandbits(64))
    email = f"bench-{int(time.time())}@example.org"
    r = expect(lead.post("/signup", {
        "_csrf": csrf, "display_name": "Banc d'essai", "email": email,
        "password": password, "password_confirm": password,
    }), 303, "signup")
    # Sign-up is confirmed from a mail: without SMTP the server writes it to its outbox.
    # Builds before issue 13 (41ed1b3, the regression's baseline) signed in at once.
    if r.location != "/organisations/new":
        confirm = confirmation_path(args.outbox, email)
        page = expect(lead.get(confirm), 200, "confirmation page").text
        expect(lead.post(confirm, {"_csrf": csrf_of(page)}), 303, "confirmation")
    csrf = csrf_of(expect(lead.get("/organisations/new"), 200, "organisation form").text)
    r = expect(lead.post("/organisations", {
        "_csrf": csrf, "name": "Commune du banc d'essai", "kind": "commune", "departement": "69",
        "commune_insee": "69123", "size_band": "10k_50k", "siren": "",
    }), 303, "organisation")
    org_path = r.location
    org_page = expect(lead.get(org_path), 200, "organisation page").text
    csrf = csrf_of(org_page)
    qfield = [a for tag, a in form_fields(org_page) if a.get("name") == "questionnaire"]
    chosen = next((a["value"] for a in qfield if a.get("value") == "territoires"), None)
    if chosen is None:
        raise SystemExit(f"the organisation page offers no territoires questionnaire: {qfield}")
    r = expect(lead.post(f"{org_path}/diagnostics", {"_csrf": csrf, "questionnaire": chosen}), 303, "open diagnostic")
    diag_path = r.location.split("#")[0]
    diag_id = diag_path.rstrip("/").split("/")[-1]
    log(f"organisation {org_path}, diagnostic {diag_path}")

    # The links: load-i, check, submit-j (personal ones).
    csrf = csrf_of(expect(lead.get(diag_path), 200, "diagnostic page").text)
    labels = [f"load-{i}" for i in range(args.load)] + ["check"] + [f"submit-{j}" for j in range(args.submitters)]
    for i, label in enumerate(labels):
        expect(lead.post(f"{diag_path}/invitations", {
            "_csrf": csrf, "role": ROLES[i % len(ROLES)], "label": label, "shared": "0",
        }), 303, f"invitation {label}")
    page = expect(lead.get(diag_path), 200, "diagnostic page").text
    tokens = {}
    for row in re.findall(r"<tr id=\"invitation-[^\"]+\">(.*?)</tr>", page, re.S):
        # Role, then the note (our label), then the link.
        cells = re.findall(r"<td>([^<]*)", row)
        link = re.search(r"/r/([0-9a-f]{64})", row)
        if len(cells) >= 2 and link:
            tokens[cells[1].strip()] = link.group(1)
    missing = [lbl for lbl in labels if lbl not in tokens]
    if missing:
        with open(os.path.join(args.out, "diagnostic-page.html"), "w") as f:
            f.write(page)
        raise SystemExit(f"{len(missing)} links not found on the diagnostic page, e.g. {missing[:3]}")
    log(f"{len(labels)} invitation links in {time.time() - t_start:.1f} s")

    # The pages as a respondent sees them: which values each question offers.
    check, check_csrf, tokens["check"] = start_response(args.base, tokens["check"])
    offered, dont_know = {}, {}
    for k in range(1, STEPS + 1):
        page = expect(check.get(f"/r/{tokens['check']}/step/{k}"), 200, f"step {k}").text
        found = page_questions(page)
        ids = [q["id"] for q in by_step[k]]
        if sorted(found) != sorted(ids):
            raise SystemExit(f"step {k}: the page asks {sorted(found)}, the questionnaire lists {sorted(ids)}")
        for q in by_step[k]:
            f = found[q["id"]]
            expected_field = {"scale": "radio", "single": "radio", "yes_no": "radio", "multiple": "checkbox",
                              "number": "text", "text": "textarea"}[q["kind"]]
            if f["field"] != expected_field:
                raise SystemExit(f"{q['id']}: {q['kind']} shown as {f['field']}")
            offered[q["id"]] = f["values"]
            # « Je ne sais pas » in the same radio group, where the question offers it.
            dont_know[q["id"]] = "__dk" in f["specials"]

    # The bodies the load generator sends, checked: in full with action=next each page moves on.
    bodies = {}
    for k in range(1, STEPS + 1):
        answers = [(q["id"], load_answer(q["kind"], offered[q["id"]])) for q in by_step[k]]
        r = expect(check.post(f"/r/{tokens['check']}/step/{k}", "_csrf=" + check_csrf + "&" + body_of(answers, "next")),
                   303, f"check step {k}")
        want = f"/step/{k + 1}" if k < STEPS else "/review"
        if not r.location.endswith(want):
            raise SystemExit(f"check step {k}: went to {r.location}, not {want}")
        bodies[k] = body_of(answers, "save")
        r = expect(check.post(f"/r/{tokens['check']}/step/{k}", "_csrf=" + check_csrf + "&" + bodies[k]), 303, f"save step {k}")
        if "saved=1" not in r.location:
            raise SystemExit(f"save step {k}: went to {r.location}")
        with open(os.path.join(args.out, f"step-{k}.form"), "w") as f:
            f.write(bodies[k])
    check.close()
    log("the 7 load bodies are complete and valid (checked with action=next)")

    # The load respondents: started, each with its own cookie and CSRF token.
    with open(os.path.join(args.out, "respondents.tsv"), "w") as out:
        for i in range(args.load):
            token = tokens[f"load-{i}"]
            c, csrf, token = start_response(args.base, token)
            out.write(f"{token}\t{c.cookie_header()}\t{csrf}\n")
            c.close()
    log(f"{args.load} responses started")

    # The submitters: all 7 pages with varied answers, then « Envoyer mes réponses ».
    t0 = time.time()
    for j in range(args.submitters):
        token = tokens[f"submit-{j}"]
        c, csrf, token = start_response(args.base, token)
        outlook = rng.random()
        for k in range(1, STEPS + 1):
            answers = [(q["id"], varied_answer(q["kind"], offered[q["id"]], rng, outlook, dont_know[q["id"]], exclusive)) for q in by_step[k]]
            r = expect(c.post(f"/r/{token}/step/{k}", "_csrf=" + csrf + "&" + body_of(answers, "next")), 303, f"submitter {j} step {k}")
        review = expect(c.get(f"/r/{token}/review"), 200, "review").text
        r = expect(c.post(f"/r/{token}/submit", {"_csrf": csrf_of(review)}), 303, "submit")
        if not r.location.endswith("/results"):
            raise SystemExit(f"submit went to {r.location}")
        c.close()
    log(f"{args.submitters} respondents answered 7 pages and submitted in {time.time() - t0:.1f} s")

    with open(os.path.join(args.out, "state.json"), "w") as f:
        json.dump({
            "organisation": org_path, "diagnostic": diag_id, "lead_cookie": lead.cookie_header(),
            "load_respondents": args.load, "submitters": args.submitters,
            "questions_per_step": {k: len(v) for k, v in by_step.items()},
            "body_bytes_per_step": {k: len(b) + len("_csrf=&") + 64 for k, b in bodies.items()},
        }, f, indent=2)
    lead.close()
    log(f"set up in {time.time() - t_start:.1f} s")


if __name__ == "__main__":
    main()
