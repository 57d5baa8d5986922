#!/usr/bin/python3
"""Writes bench/RESULTS.md from what bench/england.sh measured (its temporary directory).

usage: report.py MEASUREMENT_DIR RESULTS.md
The directory holds facts.txt (key=value), the runs' stdout/stderr and GNU time output (rx1, rxall,
rx4 and, when RXSTRESS_PEER named the NumPy peer, peer) and, unless --no-micro was given,
micro.json (Google Benchmark's JSON output). Targets: DESIGN §7, engine version 2, 2-core machine.
"""
import json
import os
import re
import sys

PRACTICES = 6582
MONTHS = 12
HEADLINE_PATHS = 10000
# Per SIMD target: simulation stage ns per practice-month on one core, end-to-end practice-months/s
# on one core, wall seconds of 10,000 paths on 2 cores.
TARGETS = {
    True: {"name": "AVX-512", "sim_ns": 15.0, "rate": 50e6, "wall": 8.0},
    False: {"name": "AVX2", "sim_ns": 22.0, "rate": 35e6, "wall": 12.0},
}
TARGET_SCALING = 1.9      # end to end on 2 threads, times the one-core target
TARGET_STATS = 0.10       # the statistics pass <= 10 % of run time
TARGET_WRITE = 0.10       # writing <= 10 % of run time
TARGET_MEMORY = 0.10      # peak memory within 10 % at N and 4N paths
TARGET_PEER_CORE, TARGET_PEER_ALL, STRETCH_PEER = 3.0, 6.0, 10.0
DESIGN_FLOOR_NS = 2.6     # the random bits alone, AVX-512 Philox, ns per practice-month
DRIVERS = ("baseline", "concessions", "category_m", "high_cost_patients",
           "new_medicines", "patent_expiry", "step_shock", "savings_plan")
UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
# Phases printed by `rxstress run --timings` (sim/app/run.cpp), matched by their beginning.
PHASE_SIMULATE = "simulate paths"
PHASE_WRITE = "write path blocks"
PHASE_STATS = "statistics pass"
# The vector samplers of bench/bench_random.cpp (per draw, one lane of a 65,536-lane batch).
SAMPLERS = (
    ("BM_PhiloxBlock", "one Philox4x32-10 block (4 x 32 bits)"),
    ("BM_Uniform32", "uniform from one 32-bit word"),
    ("BM_Normal", "normal (Box-Muller, two per two words)"),
    ("BM_Gamma/", "Gamma (whole shape <= 8: product of uniforms; else Marsaglia-Tsang)"),
    ("BM_Poisson/", "Poisson (inversion from the mode)"),
    ("BM_Severity/", "high-cost severity"),
    ("BM_SystemicNormal", "systemic normal: one stream and one draw on one lane (per path)"),
)
GENERATORS = (
    ("BM_PhiloxBlock", 4, "the engine's vector Philox4x32-10, per lane"),
    ("BM_Philox4x32_10", 1, "Random123 Philox4x32-10, one block at a time"),
    ("BM_Philox4x64_10", 1, "Random123 Philox4x64-10, one block at a time (what `Stream` uses "
                            "for the synthetic populations)"),
    ("BM_Xoshiro256pp", 1, "xoshiro256++ seeded from one Philox block"),
)


# ---- reading ------------------------------------------------------------------------------------

def read_facts(path):
    facts = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            facts[key] = value
    return facts


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def timings(text):
    """'timing: <phase> <seconds> s' lines -> [(phase, seconds)]."""
    out = []
    for m in re.finditer(r"^timing:\s+(.+?)\s+([0-9.eE+-]+)\s*s?\s*$", text, re.M):
        try:
            out.append((m.group(1), float(m.group(2))))
        except ValueError:
            pass
    return out


def banner(text):
    """The run's first line, `rxstress <scenario>: <P> practices, ..., <T> thread(s), <SIMD>`."""
    return next((l for l in text.splitlines() if l.startswith("rxstress ") and " practices," in l), "")


def simd_of(line):
    """The SIMD target named after 'thread(s), ' ('AVX2, 4 doubles per vector'), or None."""
    m = re.search(r"\bthreads?,\s*(.+?)\s*$", line)
    return m.group(1) if m else None


def practices_of(line):
    m = re.search(r"(\d+) practices,", line)
    return int(m.group(1)) if m else None


def is_avx512(simd):
    return bool(simd) and re.search(r"AVX-?512|AVX3", simd, re.I) is not None


def practice_months(paths):
    return paths * PRACTICES * MONTHS


def load_run(d, f, name, paths):
    """One measured run from the facts and its files; None if it was not run."""
    if f"{name}_wall" not in f:
        return None
    wall = float(f[f"{name}_wall"])
    out = read(os.path.join(d, f"{name}.out"))
    return {
        "paths": paths,
        "wall": wall,
        "rate": practice_months(paths) / wall,
        "rss_mb": int(f[f"{name}_rss_kb"]) / 1024.0,
        "cpu_s": float(f.get(f"{name}_cpu_s") or "nan"),
        "file_mb": f.get(f"{name}_file_mb", "?"),
        "cmd": f.get(f"{name}_cmd", "?"),
        "load": f.get(f"{name}_load", "?"),
        "banner": banner(out),
        "out": out,
        "timings": timings(read(os.path.join(d, f"{name}.err"))),
    }


def phase(run, prefix):
    """Seconds of the first phase whose name begins with `prefix`, or None."""
    return next((s for p, s in run["timings"] if p.startswith(prefix)), None)


def load_micro(d):
    """micro.json -> {name: {cpu, real (s per iteration), rate (items per CPU s), counters}}."""
    micro = {}
    path = os.path.join(d, "micro.json")
    if not os.path.exists(path):
        return micro
    with open(path) as fh:
        data = json.load(fh)
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or "error_occurred" in b:
            continue
        u = UNIT[b.get("time_unit", "ns")]
        if b["name"] in micro and micro[b["name"]]["cpu"] <= b["cpu_time"] * u:
            continue  # repetitions: keep the fastest (the least disturbed by other load)
        micro[b["name"]] = {
            "cpu": b["cpu_time"] * u,
            "real": b["real_time"] * u,
            "rate": b.get("items_per_second"),
            "blocks": b.get("blocks_per_practice_path"),
        }
    return micro


def ns_per_item(micro, name):
    """CPU nanoseconds per item (practice-month, draw, ...) of a micro-benchmark, or None."""
    b = micro.get(name)
    return 1e9 / b["rate"] if b and b["rate"] else None


# ---- formatting ---------------------------------------------------------------------------------

def mega(x):
    return f"{x / 1e6:,.1f} M"


def status(ok):
    """'met', 'not met', or 'not evaluated' (ok is None)."""
    return "not evaluated" if ok is None else "**met**" if ok else "**not met**"


def word(ok):
    return "met" if ok else "not met"


# ---- the report ---------------------------------------------------------------------------------

class Report:
    def __init__(self, d, f):
        self.d, self.f = d, f
        self.N, self.N4, self.nproc = int(f["paths"]), int(f["paths4"]), int(f["nproc"])
        self.quick = f.get("quick") == "1"
        self.runs = {name: load_run(d, f, name, paths) for name, paths in
                     (("rx1", self.N), ("rxall", self.N), ("peer", self.N), ("rx4", self.N4))}
        self.rx1, self.rxall, self.rx4 = self.runs["rx1"], self.runs["rxall"], self.runs["rx4"]
        self.peer = self.runs["peer"]
        self.peer_absent = ("not run (RXSTRESS_PEER unset)" if not f.get("peer")
                            else "not run (no measurement of the peer)")
        self.simd = simd_of(self.rx1["banner"])
        self.avx512 = is_avx512(self.simd)
        self.target = TARGETS[self.avx512]
        self.micro = load_micro(d)
        self.two = f"{self.nproc} threads" + ("" if self.nproc == 2 else
                                              f" (this machine has {self.nproc} cores, not 2)")
        self.lines = []

    def add(self, line=""):
        self.lines.append(line)

    # -- header --

    def shared_machine(self):
        # Someone else's compiler ran, or the load rose above the benchmark's own threads (at most
        # nproc). The load at start is not used: it still holds the Release build just before.
        f = self.f
        return (float(f.get("load_max") or 0) > self.nproc + 0.5
                or int(f.get("compilers_max") or 0) > 0 or int(f.get("compilers_start") or 0) > 0)

    def simd_line(self):
        t = self.target
        thresholds = (f"targets for {t['name']}: simulation stage <= {t['sim_ns']:.0f} ns per "
                      f"practice-month, >= {mega(t['rate'])} practice-months/s end to end on one "
                      f"core, 10,000 paths under {t['wall']:.0f} s")
        if not self.simd:
            return ("- SIMD target: not found in the first line of `rx1.out`; AVX-512 unknown, "
                    f"the AVX2 targets used ({thresholds})")
        line = (f"- SIMD target of the runs (first line of `rxstress run`): {self.simd}; AVX-512: "
                f"**{'yes' if self.avx512 else 'no'}** ({thresholds})")
        others = {n: simd_of(r["banner"]) for n, r in self.runs.items()
                  if r and n != "peer" and simd_of(r["banner"]) not in (None, self.simd)}
        if others:
            line += "; **other runs chose another target**: " + ", ".join(
                f"{n} {s}" for n, s in others.items())
        return line

    def header(self):
        f, add = self.f, self.add
        add("# England benchmark: results")
        add()
        add("Regenerated by `bench/england.sh` (do not edit by hand). The workload is "
            "`scenarios/bench/england.yaml` (docs/benchmark.md): 6,582 practices x 12 months, every "
            "driver, five delegation models; targets from DESIGN §7 (engine version 2, 2-core machine). "
            "The unit of work is a practice-month: paths x 6,582 practices x 12 months.")
        add()
        add(f"- commit `{f['commit']}`, {f['date']}")
        add(f"- machine: {self.nproc} cores (`nproc`), {f['cpu']}")
        add(self.simd_line())
        seen = practices_of(self.rx1["banner"])
        if seen is not None and seen != PRACTICES:
            add(f"- **the run reports {seen:,} practices, not {PRACTICES:,}**: the practice-month "
                f"figures below count {PRACTICES:,}")
        add(f"- load average (1/5/15 min) at start {f['load_start']}, at end {f['load_end']}; highest "
            f"1-min load sampled during the runs {f.get('load_max', '?')}; other compilers (cc1plus) "
            f"seen in {f.get('compilers_seen', '?')} of {f.get('samples', '?')} samples (at most "
            f"{f.get('compilers_max', '?')} at once)")
        if "page_cache_start_mb_s" in f:
            add(f"- fresh page-cache pages (`dd` of a new 1 GiB file, no sync; a virtual machine's first "
                f"touch of memory): {f['page_cache_start_mb_s']} MB/s before the runs, "
                f"{f.get('page_cache_end_mb_s', '?')} MB/s after; the results files' writing goes at "
                f"about this rate")
        if self.shared_machine():
            add("- **Figures taken on a shared machine**: other engineers were building or running at "
                "the same time (load above), so wall times are pessimistic and noisy; micro-benchmark "
                "rates are per CPU second, which the load disturbs less.")
        else:
            add("- No other work seen: no other compiler ran and the load never exceeded the "
                "benchmark's own threads (the load at start is the Release build of this script, "
                "just before).")
        if self.quick:
            add(f"- **`--quick` smoke test** ({self.N:,} paths): not the headline figure (10,000 paths).")
        if not self.peer:
            add(f"- NumPy peer: {self.peer_absent}; the comparisons with it are not evaluated.")
        add()

    # -- end to end --

    def run_row(self, name, label, threads):
        r = self.runs[name]
        if not r:
            return f"| {label} | {self.peer_absent} | | | | | | | |"
        return (f"| {label} | {r['paths']:,} | {threads} | {r['wall']:.2f} | {mega(r['rate'])} | "
                f"{r['rss_mb']:,.0f} | {r['cpu_s']:.1f} | {r['file_mb']} | {r['load']} |")

    def peer_self_report(self):
        line = next((l for l in self.peer["out"].splitlines() if l.startswith("peer:")), "")
        kv = dict(x.split("=", 1) for x in line.split()[1:] if "=" in x)
        if kv:
            self.add(f"- the peer's own report: wall_s={kv.get('wall_s')} practice_months_per_s="
                     f"{kv.get('practice_months_per_s')} peak_rss_mb={kv.get('peak_rss_mb')}")

    def end_to_end(self):
        add, rx1, rxall, rx4, peer = self.add, self.rx1, self.rxall, self.rx4, self.peer
        add("## End to end")
        add()
        add("| run | paths | threads | wall s | practice-months/s | peak RSS MB | CPU s | file MB | load at start |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        add(self.run_row("rx1", "rxstress", "1"))
        add(self.run_row("rxall", "rxstress", str(self.nproc)))
        add(self.run_row("peer", "NumPy peer", "1 (NumPy)"))
        add(self.run_row("rx4", "rxstress (4N)", str(self.nproc)))
        add()
        add(f"- rxstress {self.nproc} threads / 1 thread: **{rxall['rate'] / rx1['rate']:.2f}x**")
        cpu = (f"- CPU seconds (user + system; less disturbed by a loaded machine than wall time): "
               f"rxstress 1 thread {rx1['cpu_s']:.1f} s, {self.nproc} threads {rxall['cpu_s']:.1f} s")
        if peer:
            cpu += (f", peer {peer['cpu_s']:.1f} s (peer / rxstress 1 thread: "
                    f"{peer['cpu_s'] / rx1['cpu_s']:.2f}x)")
        add(cpu)
        add(f"- peak memory at {self.N4:,} vs {self.N:,} paths ({self.nproc} threads): "
            f"{rx4['rss_mb']:,.0f} vs {rxall['rss_mb']:,.0f} MB ({self.memory_growth() * 100:+.1f} %)")
        if peer:
            self.peer_self_report()
        add("- practice-months/s = paths x 6,582 x 12 / wall seconds of the whole process (scenario "
            "load to file closed, headline printed); peak RSS from `/usr/bin/time -v`.")
        for name in ("rx1", "rxall", "rx4"):
            if self.runs[name]["timings"]:
                add(f"- phase timings, {name}: "
                    + ", ".join(f"{p} {s:.2f} s" for p, s in self.runs[name]["timings"]))
        if not any(self.runs[n]["timings"] for n in ("rx1", "rxall", "rx4")):
            add("- phase timings: none printed (`rxstress run --timings` "
                + ("given, but no `timing:` lines)" if self.f.get("timings_flag")
                   else "not available in this build)"))
        add()

    # -- targets --

    def memory_growth(self):
        return self.rx4["rss_mb"] / self.rxall["rss_mb"] - 1.0

    def row(self, target, measured, ok):
        self.add(f"| {target} | {measured} | {status(ok)} |")

    def simulation_stage_row(self):
        t, rx1, N = self.target, self.rx1, self.N
        target = (f"simulation stage (drivers, aggregation, terms) <= {t['sim_ns']:.0f} ns per "
                  f"practice-month on one {t['name']} core")
        sim, write = phase(rx1, PHASE_SIMULATE), phase(rx1, PHASE_WRITE)
        micro_ns = ns_per_item(self.micro, "BM_Scenario/bench")
        cross = (f"; micro-benchmark `BM_Scenario/bench` (`simulate_block` of 32 paths, CPU time): "
                 f"{micro_ns:.1f} ns" if micro_ns else "")
        if sim is None or write is None:
            self.row(target, "not measured (no `simulate paths` and `write path blocks` phase "
                     "timings in rx1's output)" + cross, None)
            return
        stage = sim - write
        ns = stage / practice_months(N) * 1e9
        self.row(target, f"{ns:.1f} ns: rx1 (1 thread; the serial writer stage runs on the same "
                 f"thread) `{PHASE_SIMULATE}` {sim:.2f} s - `{PHASE_WRITE}` {write:.2f} s = "
                 f"{stage:.2f} s over {N:,} x 6,582 x 12 practice-months" + cross,
                 ns <= t["sim_ns"])

    def throughput_rows(self):
        t, rx1, rxall = self.target, self.rx1, self.rxall
        self.row(f">= {mega(t['rate'])} practice-months/s end to end on one {t['name']} core",
                 f"{mega(rx1['rate'])}/s ({self.N:,} paths, 1 thread, {rx1['wall']:.2f} s wall, "
                 f"{1e9 / rx1['rate']:.1f} ns per practice-month)", rx1["rate"] >= t["rate"])
        want = TARGET_SCALING * t["rate"]
        scaling = rxall["rate"] / rx1["rate"]
        scaling_ok, rate_ok = scaling >= TARGET_SCALING, rxall["rate"] >= want
        self.row(f">= {TARGET_SCALING}x that on 2 threads (>= {mega(want)}/s)",
                 f"{mega(rxall['rate'])}/s on {self.two}; scaling {scaling:.2f}x (scaling "
                 f"{word(scaling_ok)}, throughput {word(rate_ok)})", scaling_ok and rate_ok)

    def share_row(self, target, prefix, limit):
        """A phase's share of each run's wall time (rx1, rxall), each within `limit`."""
        parts, oks = [], []
        for name, label in (("rx1", "1 thread"), ("rxall", f"{self.nproc} threads")):
            r, s = self.runs[name], phase(self.runs[name], prefix)
            if s is None:
                parts.append(f"{label}: no `{prefix}` phase timing")
                continue
            share = s / r["wall"]
            oks.append(share <= limit)
            parts.append(f"{label}: {share * 100:.1f} % ({s:.2f} s of {r['wall']:.2f} s wall; "
                         f"{word(share <= limit)})")
        self.row(target, f"`{prefix}` phase / wall of the whole process; " + "; ".join(parts),
                 all(oks) if len(oks) == 2 else None)

    def peer_rows(self):
        rows = ((f">= {TARGET_PEER_CORE:.0f}x the NumPy peer per core (rxstress 1 thread vs the "
                 "single-threaded peer)", "rx1", "1 thread", TARGET_PEER_CORE),
                (f">= {TARGET_PEER_ALL:.0f}x the NumPy peer on 2 threads", "rxall", self.two,
                 TARGET_PEER_ALL),
                (f"stretch: >= {STRETCH_PEER:.0f}x the NumPy peer on 2 threads", "rxall", self.two,
                 STRETCH_PEER))
        for target, name, label, want in rows:
            if not self.peer:
                self.row(target, self.peer_absent, None)
                continue
            r = self.runs[name]
            ratio = self.peer["wall"] / r["wall"]
            self.row(target, f"{ratio:.2f}x: peer wall {self.peer['wall']:.2f} s / rxstress "
                     f"{label} {r['wall']:.2f} s ({self.N:,} paths each)", ratio >= want)

    def wall_row(self):
        t, rxall, N = self.target, self.rxall, self.N
        target = f"10,000 England paths end to end under {t['wall']:.0f} s on 2 {t['name']} cores"
        if N == HEADLINE_PATHS:
            self.row(target, f"{rxall['wall']:.2f} s on {self.two}", rxall["wall"] < t["wall"])
            return
        est = rxall["wall"] * HEADLINE_PATHS / N
        self.row(target, f"not run at 10,000 (N = {N:,}: {rxall['wall']:.2f} s; scaled linearly "
                 f"~{est:.1f} s, which would {'' if est < t['wall'] else 'not '}meet it)", None)

    def memory_row(self):
        growth = self.memory_growth()
        self.row(f"peak memory independent of the number of paths: within {TARGET_MEMORY * 100:.0f} % "
                 f"at N and 4N paths",
                 f"{self.rxall['rss_mb']:,.0f} MB at {self.N:,}, {self.rx4['rss_mb']:,.0f} MB at "
                 f"{self.N4:,} ({growth * 100:+.1f} %; {self.nproc} threads)",
                 abs(growth) <= TARGET_MEMORY)

    def targets(self):
        self.add("## Targets (DESIGN §7, engine version 2)")
        self.add()
        self.add("| target | measured | status |")
        self.add("|---|---|---|")
        self.simulation_stage_row()
        self.throughput_rows()
        self.share_row(f"the statistics pass <= {TARGET_STATS * 100:.0f} % of run time",
                       PHASE_STATS, TARGET_STATS)
        self.share_row(f"the writing <= {TARGET_WRITE * 100:.0f} % of run time",
                       PHASE_WRITE, TARGET_WRITE)
        self.peer_rows()
        self.wall_row()
        self.memory_row()
        self.add()

    # -- micro-benchmarks --

    def floor(self):
        fl, ns = self.micro.get("BM_Floor"), ns_per_item(self.micro, "BM_Floor")
        if not ns:
            return
        t = self.target
        blocks = f"{fl['blocks']:.0f}" if fl["blocks"] else "25"
        text = (f"**Floor: {ns:.2f} ns per practice-month** ({mega(1e9 / ns)} practice-months/s, "
                f"{fl['cpu'] * 1e3:.2f} ms per path of 6,582 practices; `BM_Floor`): only the random "
                f"bits one path of the benchmark needs, {blocks} Philox4x32-10 blocks per practice "
                "(stream scheme 2, docs/random-streams.md: the counters of the drivers' draws, "
                "computed per lane), combined by XOR: no conversion to numbers, no arithmetic on "
                f"spend. The design puts this floor at about {DESIGN_FLOOR_NS} ns on AVX-512; "
                f"measured {ns / DESIGN_FLOOR_NS:.1f}x that"
                + ("" if self.avx512 else f" (this machine's target is {self.simd or 'unknown'}, "
                   "not AVX-512)") + ". ")
        if ns < t["sim_ns"]:
            text += (f"It is {ns / t['sim_ns'] * 100:.0f} % of the simulation-stage target "
                     f"({t['sim_ns']:.0f} ns on one {t['name']} core), which leaves "
                     f"{t['sim_ns'] - ns:.1f} ns per practice-month for the samplers' arithmetic, "
                     "the drivers, aggregation and terms.")
        else:
            text += (f"It is above the simulation-stage target ({t['sim_ns']:.0f} ns on one "
                     f"{t['name']} core): the target cannot be met on this machine with these draws.")
        self.add(text)
        self.add()

    def drivers(self):
        micro = self.micro
        kernels = {t: ns_per_item(micro, f"BM_DriverKernel/{t}") for t in DRIVERS}
        kernels = {t: ns for t, ns in kernels.items() if ns}
        if not kernels:
            return
        add = self.add
        add("### Per driver (ns per practice-month, CPU)")
        add()
        add("`BM_DriverKernel/<type>`: the driver's `simulate()` alone, one path per iteration, its "
            "systemic draws included; `BM_Driver/<type>`: `simulate_block(model, first, 32, block)` "
            "on a scenario with only that driver (its england.yaml parameters) and the icb model. "
            "An item is a practice-month (practices x months x paths).")
        add()
        add("| driver | kernel ns/pm | share of the kernels | simulate_block ns/pm (driver + icb) |")
        add("|---|---:|---:|---:|")
        total = sum(kernels.values())
        for t, ns in kernels.items():
            block = ns_per_item(micro, f"BM_Driver/{t}")
            add(f"| {t} | {ns:.2f} | {ns / total * 100:.0f} % | "
                + (f"{block:.2f}" if block else "-") + " |")
        add(f"| **sum of the kernels** | {total:.2f} | 100 % | |")
        add()
        self.engine_lines(total)

    def engine_lines(self, kernels_total):
        micro, t, add = self.micro, self.target, self.add
        sb, si = ns_per_item(micro, "BM_Scenario/bench"), ns_per_item(micro, "BM_Scenario/drivers_icb_only")
        if sb:
            add(f"- whole scenario, `simulate_block` of 32 paths (`BM_Scenario/bench`): {sb:.2f} ns per "
                f"practice-month ({sb / t['sim_ns'] * 100:.0f} % of the {t['sim_ns']:.0f} ns "
                f"simulation-stage target; the driver kernels {kernels_total:.2f} ns of it)")
        if sb and si:
            add(f"- every driver with the icb model only (`BM_Scenario/drivers_icb_only`): {si:.2f} ns; "
                f"aggregating to provider, neighbourhood and practice holders, settling their terms "
                f"and recording high-cost patients for the carve-out: {sb - si:.2f} ns "
                f"({(sb - si) / sb * 100:.0f} %)")
        wb, wp = ns_per_item(micro, "BM_WriterConsume/bench"), ns_per_item(micro, "BM_WriterConsume/practice_level")
        if wb:
            add(f"- HDF5 writer, `ResultsWriter::consume` of 32-path blocks: all five models {wb:.2f} ns "
                "per practice-month" + (f"; practice level only (practice, practice-shared) {wp:.2f} ns"
                                        if wp else ""))
        st = micro.get("BM_SettleTerms/practice_shared")
        if st:
            add(f"- `settle_terms` (carve-out, corridor, pool) over 6,582 holders: {st['cpu'] * 1e6:.1f} us")
        sm = micro.get("BM_Summarise/10000")
        if sm:
            add(f"- `stats::summarise` of 10,000 outcomes (copy included): {sm['cpu'] * 1e6:.0f} us")
        add()

    def samplers(self):
        rows = [(name, what) for prefix, what in SAMPLERS for name in self.micro
                if (name.startswith(prefix) if prefix.endswith("/") else name == prefix)]
        if not rows:
            return
        add = self.add
        add("### Vector samplers (`bench/bench_random.cpp`)")
        add()
        add("Each iteration draws for a batch of 65,536 lanes (practices), as the drivers do; an "
            "item is one draw of one lane.")
        add()
        add("| benchmark | what | ns per draw (CPU) | real/CPU |")
        add("|---|---|---:|---:|")
        for name, what in rows:
            b = self.micro[name]
            add(f"| {name} | {what} | {ns_per_item(self.micro, name):.2f} | {b['real'] / b['cpu']:.2f} |")
        add()

    def generators(self):
        rows = [(name, words, what) for name, words, what in GENERATORS
                if ns_per_item(self.micro, name)]
        if not rows:
            return
        add = self.add
        add("### Generators: raw random bits (`bench/bench_generator.cpp`, `bench/bench_random.cpp`)")
        add()
        add("What each generator costs per 32 random bits; a 52-bit uniform double takes two words.")
        add()
        add("| generator | ns per 32 bits (CPU) | ns per two words |")
        add("|---|---:|---:|")
        for name, words, what in rows:
            ns = ns_per_item(self.micro, name) / words
            add(f"| {what} (`{name}`) | {ns:.3f} | {2 * ns:.3f} |")
        add()

    def instructions(self):
        f, add = self.f, self.add
        missing = f.get("instructions_missing")
        if not missing and "instructions_simulate_per_pm" not in f:
            return
        add("### Instructions (callgrind)")
        add()
        if missing:
            add(f"Not counted: {missing} (`apt-get install valgrind`, then `bench/england.sh` "
                "again, or `bash bench/instructions.sh build-bench/rxstress 32`).")
            add()
            return
        add(f"`bench/instructions.sh`: `rxstress run` of {f['instructions_paths']} England paths on one "
            "thread under callgrind, the AVX2 target (valgrind cannot run AVX-512 code), inclusive "
            "instructions per practice-month. The same binary and inputs give the same count "
            "whatever else the machine is doing.")
        add()
        add("| part | instructions per practice-month |")
        add("|---|---:|")
        for key, what in (("simulate", "simulation stage (`simulate_block`)"),
                          ("baseline", "of which baseline"),
                          ("concessions", "of which concessions"),
                          ("high_cost_patients", "of which high-cost patients"),
                          ("profile_drivers", "of which the scaled-profile drivers (new medicines, "
                                              "patent expiry, savings plan, Category M, step shock)"),
                          ("aggregation", "of which aggregation to the holders"),
                          ("statistics", "statistics pass (`write_statistics`)"),
                          ("program", "the whole program (fixed costs included)")):
            value = f.get(f"instructions_{key}_per_pm")
            if value and float(value) > 0:  # 0: callgrind did not list the function
                add(f"| {what} | {float(value):.1f} |")
        add()

    def micro_benchmarks(self):
        if not self.micro:
            return
        reps = self.f.get("micro_repetitions", "1")
        self.add("## Micro-benchmarks (Google Benchmark, one thread)")
        self.add()
        self.add("Rates are per CPU second (Google Benchmark's `items_per_second`)"
                 + (f", the best of {reps} repetitions" if reps != "1" else "")
                 + "; real/CPU > 1 shows time lost to other processes. On a loaded machine CPU time is "
                 "disturbed too (shared caches, a virtual machine's stolen time): compare rates within "
                 "one report rather than across reports. Sources: `bench/bench_random.cpp`, "
                 "`bench/bench_engine.cpp`, `bench/bench_generator.cpp`.")
        self.add()
        self.floor()
        self.drivers()
        self.samplers()
        self.generators()
        self.instructions()

    # -- commands --

    def commands(self):
        add = self.add
        add("## Commands")
        add()
        add("Run from the repository root (paths of the temporary results files shortened to `$TMP`):")
        add()
        add("```sh")
        add(f"bench/england.sh {'--quick' if self.quick else f'--paths {self.N}'}")
        tmp = self.f.get("tmpdir", self.d).rstrip("/")
        for name in ("rx1", "rxall", "peer", "rx4"):
            if self.runs[name]:
                add(f"/usr/bin/time -v {self.runs[name]['cmd'].replace(tmp, '$TMP')}")
        if "micro_cmd" in self.f:
            add(self.f["micro_cmd"])
        if "instructions_cmd" in self.f:
            add(self.f["instructions_cmd"])
        add("```")

    def render(self):
        self.header()
        self.end_to_end()
        self.targets()
        self.micro_benchmarks()
        self.commands()
        return "\n".join(self.lines) + "\n"


SCALING_BEGIN = "<!-- bench/scaling.sh: begin -->"
SCALING_END = "<!-- bench/scaling.sh: end -->"


def main():
    d, out_path = sys.argv[1], sys.argv[2]
    text = Report(d, read_facts(os.path.join(d, "facts.txt"))).render()
    # bench/scaling.sh's section (MPI strong scaling) is its own: kept as it is.
    old = open(out_path).read() if os.path.exists(out_path) else ""
    if SCALING_BEGIN in old and SCALING_END in old:
        kept = old[old.index(SCALING_BEGIN):old.index(SCALING_END) + len(SCALING_END)]
        text = text.rstrip("\n") + "\n\n" + kept + "\n"
    with open(out_path, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
