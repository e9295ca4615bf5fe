#!/usr/bin/env python3
"""Writes a deterministic salesbook site of N pages, for benchmarks.

    bench/generate.py N OUT_DIR

Half interviews, half exercises, 600-900 words each with headings, lists,
pull quotes and links to other pages; 2-4 of 20 topics per page; a few
speakers and tracks. The same N always gives the same bytes.
"""
import os
import random
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
    "story example customer team manager goal week day morning review"
).split()
SPEAKERS = 12


def sentence(rng, n=None):
    n = n or rng.randint(8, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def body(rng, kind, index, total_interviews, total_exercises):
    parts = []
    words = 0
    target = rng.randint(600, 900)
    section = 0
    while words < target:
        section += 1
        parts.append(f"## Part {section}: {sentence(rng, 3)[:-1]}\n")
        p = paragraph(rng, rng.randint(3, 5))
        parts.append(p + "\n")
        words += len(p.split())
        if section % 2 == 0:
            items = [sentence(rng, 6) for _ in range(3)]
            parts.append("\n".join(f"- {item}" for item in items) + "\n")
            words += sum(len(i.split()) for i in items)
        if section == 2:
            speaker = rng.randrange(SPEAKERS)
            parts.append(f"> {sentence(rng, 12)}\n>\n> — Speaker {speaker}\n")
            words += 12
        if section == 3:
            other = rng.randrange(total_exercises)
            fragment = "part-0-" + slugify(first_heading("exercise", other))
            parts.append(f"Try [exercise {other}](@/exercises/exercise-{other}.md#{fragment}) next.\n")
    return "\n".join(parts)


def first_heading(kind, index):
    """The text of a page's first heading, so other pages can link to it."""
    return sentence(random.Random(f"heading-{kind}-{index}"), 3)[:-1]


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


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py N OUT_DIR")
    total = int(sys.argv[1])
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
        f.write("---\ntitle: Benchmark Lab\n---\nA generated training site.\n")
    for s in range(SPEAKERS):
        with open(os.path.join(out, "content", "speakers", f"speaker-{s}.md"), "w") as f:
            f.write(f"---\nname: Speaker {s}\nrole: Sales coach\ncompany: Company {s % 5}\n---\nSpeaker {s} coaches sales teams.\n")

    for kind, count in (("interview", interviews), ("exercise", exercises)):
        for i in range(count):
            rng = random.Random(f"{kind}-{i}")
            title = f"{kind.capitalize()} {i}: {sentence(rng, 4)[:-1]}"
            tags = rng.sample(TOPICS, rng.randint(2, 4))
            day = 1 + (i % 28)
            month = 1 + (i // 28) % 12
            year = 2020 + (i // 336) % 7
            fm = [
                "---",
                f"title: \"{title}\"",
                f"summary: \"{sentence(rng, 12)}\"",
                f"date: {year}-{month:02d}-{day:02d}",
                f"tags: [{', '.join(tags)}]",
            ]
            text_rng = random.Random(f"body-{kind}-{i}")
            if kind == "interview":
                fm += [
                    f"host: speaker-{i % SPEAKERS}",
                    f"guests: [speaker-{(i + 1) % SPEAKERS}]",
                    "learn:",
                    f"  - {sentence(rng, 6)}",
                    f"  - {sentence(rng, 6)}",
                    "takeaways:",
                    f"  - {sentence(rng, 6)}",
                    f"duration_minutes: {20 + i % 40}",
                ]
            else:
                fm += [
                    f"objective: {sentence(rng, 10)}",
                    "difficulty: " + ["beginner", "intermediate", "advanced"][i % 3],
                    f"duration_minutes: {10 + i % 30}",
                    f"attempts: {3 + i % 3}",
                    f"related: [interviews/interview-{i % interviews}]",
                    "reflection:",
                    f"  - {sentence(rng, 8)}",
                    f"  - {sentence(rng, 8)}",
                    "quiz:",
                    "  - question: Which comes first?",
                    "    choices: [Listen, Talk]",
                    "    answer: Listen",
                    "    explain: Listening first shows what matters to the buyer.",
                ]
            fm.append("---")
            first = first_heading(kind, i)
            text = f"## Part 0: {first}\n\n" + body(text_rng, kind, i, interviews, exercises)
            folder = "interviews" if kind == "interview" else "exercises"
            with open(os.path.join(out, "content", folder, f"{kind}-{i}.md"), "w") as f:
                f.write("\n".join(fm) + "\n" + text)
    tracks = max(1, total // 200)
    for t in range(tracks):
        items = [f"exercises/exercise-{(t * 5 + k) % exercises}" for k in range(5)]
        items = list(dict.fromkeys(items))
        with open(os.path.join(out, "content", "tracks", f"track-{t}.md"), "w") as f:
            f.write(f"---\ntitle: Track {t}\nlevel: beginner\nitems: [{', '.join(items)}]\n---\nA path through five exercises.\n")


if __name__ == "__main__":
    main()
