#!/usr/bin/env python3
"""Writes a deterministic salesbook site of N pages, for benchmarks.

    bench/generate.py N OUT_DIR

Half interviews, half exercises (N in all), plus 12 speakers and N/200 tracks
(at least one). Each interview and exercise has a body of 600-900 words
(counted as runs of letters) with an intro, `##` and `###` headings, bullet
and numbered lists, emphasis, a pull quote attributed to a speaker by name,
an occasional callout, and 2-4 links to other pages (relative `.md` links and
`@/` links, one with a `#heading` fragment); 2-4 of 20 topics as tags.

The same N always gives the same bytes (every random choice comes from a
`random.Random` seeded with a string), and `salesbook check OUT_DIR` reports
no problem. OUT_DIR is replaced if it exists.
"""
import os
import random
import re
import shutil
import sys

TOPICS = [
    "prospecting", "discovery", "objections", "closing", "negotiation",
    "mindset", "practice", "habits", "coaching", "listening",
    "questioning", "storytelling", "follow-up", "pipeline", "cold-calling",
    "social-selling", "demos", "pricing", "referrals", "onboarding",
]
WORDS = (
    "call prospect buyer question listen practise tweak attempt routine "
    "habit pipeline deal value outcome trust rapport objection price budget "
    "timeline champion decision meeting agenda follow next step note learn "
    "reflect improve confident calm prepared curious specific clear short "
    "story example customer team manager goal week day morning review "
    "the a to of and in for with on your their before after every "
    "renewal quota territory referral proposal contract discount pilot "
    "stakeholder signal pause silence summary script voicemail inbox "
    "don't it's they're you'll we've"
).split()
FIRST = ["Avery", "Jordan", "Sam", "Riley", "Morgan", "Casey", "Dana", "Leigh",
         "Priya", "Tomas", "Keiko", "Amara"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak", "Brennan",
        "Castillo", "Ivanova", "Mensah", "Fischer", "Quinn"]
SPEAKERS = 12
PLAIN_WORDS = [w for w in WORDS if "'" not in w]
WORD_RE = re.compile(r"[A-Za-z']+")


def speaker_name(s):
    return f"{FIRST[s % len(FIRST)]} {LAST[(s * 5) % len(LAST)]}"


def count(text):
    return len(WORD_RE.findall(text))


def sentence(rng, n=None):
    n = n or rng.randint(8, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0][0].upper() + words[0][1:]
    if n >= 8 and rng.random() < 0.3:
        i = rng.randrange(n - 2)
        words[i] = f"**{words[i]}**"
    elif n >= 8 and rng.random() < 0.3:
        i = rng.randrange(n - 2)
        words[i] = f"*{words[i]}*"
    elif n >= 8 and rng.random() < 0.2:
        i = rng.randrange(n - 3)
        words[i] = f'"{words[i]}'
        words[i + 1] = f'{words[i + 1]}"'
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


def plain(rng, n):
    """n words, no markup, no apostrophes, no final punctuation, capitalized."""
    text = " ".join(rng.choice(PLAIN_WORDS) for _ in range(n))
    return text[0].upper() + text[1:]


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def first_heading(kind, index):
    """The text of a page's first heading, so other pages can link to it."""
    return plain(random.Random(f"heading-{kind}-{index}"), 3)


def slugify(text):
    out, dash = [], False
    for c in text.lower():
        if c.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(c)
        else:
            dash = True
    return "".join(out)


def links(rng, kind, index, interviews, exercises):
    """2-4 Markdown links to other pages, as sentences."""
    folder = "interviews" if kind == "interview" else "exercises"
    out = []
    other = rng.randrange(exercises)
    fragment = "part-0-" + slugify(first_heading("exercise", other))
    out.append(f"Then try [exercise {other}](@/exercises/exercise-{other}.md#{fragment}) on your next call.")
    other = rng.randrange(interviews)
    rel = "" if folder == "interviews" else "../interviews/"
    out.append(f"The [conversation in interview {other}]({rel}interview-{other}.md) goes deeper.")
    for _ in range(rng.randint(0, 2)):
        other = rng.randrange(exercises)
        rel = "" if folder == "exercises" else "../exercises/"
        out.append(f"Pair it with [this drill]({rel}exercise-{other}.md).")
    return out


def body(rng, kind, index, interviews, exercises):
    """A Markdown body of 600-900 words."""
    target = rng.randint(600, 900)
    first = first_heading(kind, index)
    blocks = [f"## Part 0: {first}", paragraph(rng, 2)]
    pending_links = links(rng, kind, index, interviews, exercises)
    quote_at = rng.randint(1, 3)
    callout_at = rng.randint(2, 4) if index % 3 == 0 else -1
    section = 0
    words = sum(count(b) for b in blocks)
    while True:
        section += 1
        new = [f"## Part {section}: {plain(rng, 3)}", paragraph(rng, rng.randint(2, 4))]
        if pending_links:
            new[-1] += " " + pending_links.pop()
        if section % 2 == 0:
            if kind == "exercise":
                new.append("\n".join(f"{k}. {sentence(rng, rng.randint(5, 9))}" for k in range(1, rng.randint(3, 6))))
            else:
                new.append("\n".join(f"- {sentence(rng, rng.randint(4, 8))}" for _ in range(rng.randint(2, 5))))
        if section % 3 == 0:
            new.append(f"### {plain(rng, 2)}")
            new.append(paragraph(rng, rng.randint(2, 3)))
        if section == quote_at:
            speaker = rng.randrange(SPEAKERS)
            new.append(f"> {sentence(rng, 14)}\n>\n> — {speaker_name(speaker)}")
        if section == callout_at:
            new.append(f"> [!TIP]\n> {sentence(rng, 10)}")
        extra = sum(count(b) for b in new)
        if words + extra > target:
            break
        blocks += new
        words += extra
    # Links not placed yet go into one last paragraph, then filler up to the target.
    tail = " ".join(pending_links)
    left = target - words - count(tail)
    if left >= 3:
        tail = (plain(rng, left) + ". " + tail).strip()
    if tail:
        blocks.append(tail)
    return "\n\n".join(blocks) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py N OUT_DIR")
    total = int(sys.argv[1])
    if total < 2:
        sys.exit("N must be at least 2")
    out = sys.argv[2]
    if os.path.exists(out):
        shutil.rmtree(out)
    interviews = total // 2
    exercises = total - interviews
    for d in ("interviews", "exercises", "speakers", "tracks"):
        os.makedirs(os.path.join(out, "content", d))
    with open(os.path.join(out, "site.yaml"), "w") as f:
        f.write("title: Benchmark Lab\ndescription: A generated site.\nbase_url: https://example.com/lab/\n")
    with open(os.path.join(out, "content", "_index.md"), "w") as f:
        f.write("---\ntitle: Benchmark Lab\n---\nA generated training site: interviews with people who sell, and exercises to practise what they do.\n")
    for s in range(SPEAKERS):
        with open(os.path.join(out, "content", "speakers", f"speaker-{s}.md"), "w") as f:
            f.write(f"---\nname: {speaker_name(s)}\nrole: Sales coach\ncompany: Company {s % 5}\n"
                    f"links:\n  - label: Website\n    url: https://example.com/speaker-{s}\n---\n"
                    f"{speaker_name(s)} coaches sales teams on prospecting and discovery.\n")

    for kind, count_ in (("interview", interviews), ("exercise", exercises)):
        for i in range(count_):
            rng = random.Random(f"{kind}-{i}")
            title = f"{kind.capitalize()} {i}: {plain(rng, 4)}"
            tags = rng.sample(TOPICS, rng.randint(2, 4))
            day = 1 + (i % 28)
            month = 1 + (i // 28) % 12
            year = 2020 + (i // 336) % 7
            fm = [
                "---",
                f"title: \"{title}\"",
                f"summary: \"{plain(rng, 12)}.\"",
                f"date: {year}-{month:02d}-{day:02d}",
                f"tags: [{', '.join(tags)}]",
            ]
            if kind == "interview":
                fm += [
                    f"host: speaker-{i % SPEAKERS}",
                    f"guests: [speaker-{(i + 1) % SPEAKERS}]",
                    "learn:",
                    f"  - {plain(rng, 6)}.",
                    f"  - {plain(rng, 6)}.",
                    "takeaways:",
                    f"  - {plain(rng, 6)}.",
                    f"duration_minutes: {20 + i % 40}",
                ]
                if i % 4 == 0:
                    fm.append(f"source: https://example.com/recordings/{i}")
            else:
                fm += [
                    f"objective: {plain(rng, 10)}.",
                    "difficulty: " + ["beginner", "intermediate", "advanced"][i % 3],
                    f"duration_minutes: {10 + i % 30}",
                    f"attempts: {3 + i % 3}",
                    f"related: [interviews/interview-{i % interviews}]",
                    "reflection:",
                    f"  - {plain(rng, 8)}?",
                    f"  - {plain(rng, 8)}?",
                    "quiz:",
                    "  - question: Which comes first?",
                    "    choices: [Listen, Talk]",
                    "    answer: Listen",
                    "    explain: Listening first shows what matters to the buyer.",
                ]
            fm.append("---")
            text_rng = random.Random(f"body-{kind}-{i}")
            text = body(text_rng, kind, i, interviews, exercises)
            folder = "interviews" if kind == "interview" else "exercises"
            with open(os.path.join(out, "content", folder, f"{kind}-{i}.md"), "w") as f:
                f.write("\n".join(fm) + "\n" + text)
    tracks = max(1, total // 200)
    for t in range(tracks):
        items = []
        for k in range(5):
            if k % 2 == 0:
                items.append(f"interviews/interview-{(t * 3 + k) % interviews}")
            else:
                items.append(f"exercises/exercise-{(t * 5 + k) % exercises}")
        items = list(dict.fromkeys(items))
        with open(os.path.join(out, "content", "tracks", f"track-{t}.md"), "w") as f:
            f.write(f"---\ntitle: Track {t}\nlevel: {['beginner', 'intermediate', 'advanced'][t % 3]}\n"
                    f"items: [{', '.join(items)}]\n---\nA path through interviews and exercises.\n")


if __name__ == "__main__":
    main()
