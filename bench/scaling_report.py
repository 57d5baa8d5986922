#!/usr/bin/env python3
"""Renders bench/scaling.sh's measurements as the scaling section of bench/RESULTS.md.

usage: scaling_report.py TMP N CPU SIMD COMMIT DATE RESULTS.md
TMP holds A/B/C.time (wall, maxrss_kb), A/B/C.err (`timing:` lines), B/C.same, A.bytes.
The section sits between BEGIN and END; the rest of the file is left as it is (bench/report.py
keeps the section when it re-renders the rest).
"""
import os
import re
import sys

BEGIN = "<!-- bench/scaling.sh: begin -->"
END = "<!-- bench/scaling.sh: end -->"

# The model's assumptions (not measured here): a node of 64 cores like this machine's, one rank per
# node running 64 threads, a 100 Gb/s link per node, a parallel file system of 10 GB/s aggregate
# (write and read), 20 us per MPI agreement across nodes.
CORES_PER_NODE = 64
LINK_BYTES_S = 12.5e9
PFS_BYTES_S = 10e9
AGREE_S = 20e-6
BLOCK_PATHS = 32
MODEL_PATHS = 1_000_000


def facts(tmp, name):
    out = {}
    for line in open(os.path.join(tmp, f"{name}.time")):
        key, value = line.split()
        out[key] = float(value)
    text = open(os.path.join(tmp, f"{name}.err")).read()
    out["timings"] = {m.group(1).strip(): float(m.group(2)) for m in
                      re.finditer(r"^timing:\s+(.+?)\s+([0-9.eE+-]+) s$", text, re.M)}
    return out


def phase(run, prefix):
    return next((s for p, s in run["timings"].items() if p.startswith(prefix)), 0.0)


def model(n_nodes, sim_core_s, stats_core_s, bytes_per_path):
    """Seconds for MODEL_PATHS England paths on n_nodes: the ranks' collective allocation of the
    file (writing every checksummed chunk once, shared by the ranks), then simulation overlapping
    the writes (the pipeline keeps simulating while a block is written), then the statistics pass
    reading every outcome back. Returns (total, allocation, compute, write, stats, agreements)."""
    cores = n_nodes * CORES_PER_NODE
    data = MODEL_PATHS * bytes_per_path
    bandwidth = min(n_nodes * LINK_BYTES_S, PFS_BYTES_S)
    allocate = data / bandwidth
    compute = MODEL_PATHS * sim_core_s / cores
    write = data / bandwidth
    slots = -(-MODEL_PATHS // BLOCK_PATHS) / n_nodes
    agree = 2 * slots * AGREE_S if n_nodes > 1 else 0.0
    stats = MODEL_PATHS * stats_core_s / cores + data / bandwidth
    return allocate + max(compute, write) + agree + stats, allocate, compute, write, stats, agree


def main():
    tmp, n, cpu, simd, commit, date, out_path = sys.argv[1:8]
    n = int(n)
    runs = {x: facts(tmp, x) for x in "ABC"}
    same = {x: open(os.path.join(tmp, f"{x}.same")).read().strip() for x in "BC"}
    bytes_total = int(open(os.path.join(tmp, "A.bytes")).read())
    a, b, c = (runs[x]["wall"] for x in "ABC")
    sim_a = phase(runs["A"], "simulate paths") - 0.0
    stats_a = phase(runs["A"], "statistics pass")
    lines = [BEGIN, "", f"## MPI strong scaling ({date}, commit `{commit}`, `bench/scaling.sh`)", "",
             f"England benchmark, {n:,} paths, on this machine: {cpu}, {os.cpu_count()} cores, "
             f"SIMD target {simd}. Every file equals run A's bit for bit (`tools/same-results.sh`: "
             f"B {same['B'].splitlines()[-1]}; C {same['C'].splitlines()[-1]}).", "",
             "| run | layout | wall s | peak memory per process MB | vs A |",
             "|---|---|---:|---:|---:|"]
    for x, layout in (("A", "1 rank x 1 thread"), ("B", "1 rank x 2 threads (mpirun -n 1)"),
                      ("C", "2 ranks x 1 thread (mpirun -n 2)")):
        r = runs[x]
        lines.append(f"| {x} | {layout} | {r['wall']:.2f} | {r['maxrss_kb'] / 1024:.0f} | "
                     f"{a / r['wall']:.2f}x |")
    agree = phase(runs["C"], "of which MPI agreements")
    writes = phase(runs["C"], "of which collective writes")
    lines += ["",
              f"- Parallel efficiency on 2 cores: threads {a / (2 * b):.1%} (A / 2B), ranks "
              f"{a / (2 * c):.1%} (A / 2C); 2 ranks x 1 thread against 1 rank x 2 threads: "
              f"{b / c:.1%} (B / C; target >= 90 %).",
              f"- Run C, rank 0: MPI agreements at each block (communication and waiting for the "
              f"other rank) {agree:.2f} s, collective writes {writes:.2f} s, of {c:.2f} s wall; "
              f"opening the laid-out file on both ranks {phase(runs['C'], 'open results file'):.2f} s; "
              f"statistics pass (shared) and close {phase(runs['C'], 'statistics pass'):.2f} s "
              f"(A: {stats_a:.2f} s on one thread).",
              f"- Opening the file in C is rank 0 laying it out, then both ranks opening it through "
              f"MPI-IO. Parallel HDF5 1.10 needs every dataset's storage allocated before ranks "
              f"write, and allocating checksummed (Fletcher32) chunks writes each chunk once, about "
              f"as many bytes as the results ({bytes_total / 1e9:.2f} GB here). With all ranks on "
              f"one node rank 0 does it as it lays the file out; across nodes the ranks share it "
              f"at the open (`h5::NoFillValues`). Its time depends on how busy the disk still is "
              f"with earlier writes (0.3 s to 3 s measured). C without it: "
              f"{c - phase(runs['C'], 'open results file'):.2f} s, B / that "
              f"{b / (c - phase(runs['C'], 'open results file')):.1%}; simulation alone: B "
              f"{phase(runs['B'], 'simulate paths'):.2f} s, C {phase(runs['C'], 'simulate paths'):.2f} s.",
              f"- Phases of A: " + ", ".join(f"{p} {s:.2f} s" for p, s in runs["A"]["timings"].items()),
              f"- Phases of B: " + ", ".join(f"{p} {s:.2f} s" for p, s in runs["B"]["timings"].items()),
              f"- Phases of C: " + ", ".join(f"{p} {s:.2f} s" for p, s in runs["C"]["timings"].items()),
              ""]
    sim_core_s = sim_a / n
    stats_core_s = stats_a / n
    bytes_per_path = bytes_total / n
    lines += [f"### Estimate: 10^6 England paths on 1, 8 and 64 nodes (a model, not a measurement)", "",
              f"From run A: simulation {sim_core_s * 1e3:.2f} ms per path per core (writing "
              f"included), statistics pass {stats_core_s * 1e3:.3f} ms per path per core, "
              f"{bytes_per_path / 1e3:.0f} kB of results per path, so {MODEL_PATHS * bytes_per_path / 1e9:.0f} GB "
              f"for 10^6 paths. Assumed, not measured: nodes of {CORES_PER_NODE} cores as fast as "
              f"this one, one rank per node with {CORES_PER_NODE} threads, a "
              f"{LINK_BYTES_S * 8 / 1e9:.0f} Gb/s link per node, a parallel file system of "
              f"{PFS_BYTES_S / 1e9:.0f} GB/s aggregate, {AGREE_S * 1e6:.0f} us per MPI agreement "
              f"(two per block slot). Time = allocating the file (parallel HDF5 writes every "
              f"checksummed chunk once as the ranks open it, shared among them; on one node rank 0 "
              f"does it as it lays the file out) + max(simulation, "
              f"writing) + agreements + the statistics pass (its compute plus reading every "
              f"outcome back).", "",
              "| nodes | allocation s | simulation s | writing s | statistics pass s | agreements s | total s | speed-up vs 1 node |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    one = model(1, sim_core_s, stats_core_s, bytes_per_path)[0]
    for nodes in (1, 8, 64):
        total, allocate, compute, write, stats, agree_s = model(nodes, sim_core_s, stats_core_s,
                                                                bytes_per_path)
        lines.append(f"| {nodes} | {allocate:.1f} | {compute:.1f} | {write:.1f} | {stats:.1f} | "
                     f"{agree_s:.2f} | {total:.1f} | {one / total:.1f}x |")
    lines += ["",
              "Where it stops scaling: the simulation divides by the cores, but every path's outcomes "
              "are written twice (the allocation's checksummed chunks, then the results) and read "
              "back once by the statistics pass, through one file system. Beyond the node count at which the file system's bandwidth, not the links, "
              "limits (here from 1 node: 12.5 GB/s per node against 10 GB/s aggregate), writing and "
              "reading are a floor that more nodes do not lower; past 8 nodes the run is almost "
              "all I/O. What would move the floor: fewer per-path outcomes written (levels and "
              "models chosen in `outputs`), stronger compression, or statistics of the levels that "
              "fit in memory computed from the blocks in flight instead of read back; and the "
              "allocation's write, which a later HDF5 (or no checksum on the per-path datasets) "
              "would spare.", "", END]
    section = "\n".join(lines) + "\n"
    text = open(out_path).read() if os.path.exists(out_path) else ""
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(out_path, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
