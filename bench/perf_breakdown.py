#!/usr/bin/env python3
"""Summarises `perf script` output of a tagwarden run (bench/profile.sh) for bench/README.md.

Reads `perf script -F pid,tid,time,period,ip,sym,dso` (with call chains) on standard input and
prints:
  - where the CPU time goes by pipeline stage: each sample is given to the first rule below
    whose pattern appears anywhere in its call chain, so a helper counts for the stage that
    called it (a destructor inside the evaluator is evaluation; the parser's mallocs are parsing);
  - how much of each stage is the allocator itself (malloc/free and their internals at the leaf);
  - the busiest leaf functions;
  - the share of CPU time spent on the main thread, by stage: with worker threads, that is the
    work that does not run in parallel (it does not depend on how busy the machine is);
  - with --timeline: how the run's wall time splits into periods where one thread works and
    periods where several do (10 ms buckets); only meaningful on an otherwise idle machine.
"""
import argparse
import collections
import re
import sys

# (stage, regular expression over one frame's symbol), checked in this order over the whole chain.
STAGES = [
    ("tree-sitter: free the syntax tree", r"^ts_tree_delete$"),
    ("tree-sitter: parse", r"^ts_parser_parse"),
    ("HCL: tree-sitter tree to AST (Converter)", r"Converter::"),
    ("HCL: other parsing (parse_hcl, tf.json)", r"tagwarden::hcl::parse_hcl|tagwarden::hcl::.*tf_json|parse_terraform_file"),
    ("read files (read_source)", r"tagwarden::read_source"),
    ("discover: walk folders, stat", r"tagwarden::\(anonymous namespace\)::walk|is_cdk_assembly"),
    ("free ASTs and module data (~Loader)", r"~Loader|~ModuleDir|hcl::File::~File"),
    ("Terraform: modules, evaluation, tags (Loader)", r"terraform::|Loader::"),
    ("rules (run_rules)", r"tagwarden::run_rules"),
    ("sort findings and errors", r"tagwarden::sort_findings|tagwarden::sort_errors"),
    ("report (render_json and friends)", r"tagwarden::render_"),
    ("write the report", r"tagwarden::\(anonymous namespace\)::write_output|write_output"),
    ("load_all: other (JSON/YAML candidates, sort resources)", r"tagwarden::load_all"),
    ("run_check: other (schema, freeing the load results)", r"tagwarden::run_check"),
    ("run(): other (options, destructors at the end)", r"tagwarden::run\b"),
    ("process start and exit (dynamic loader, exit handlers)", r"^_dl_|^_start$|__libc_start|exit"),
]
ALLOCATOR = re.compile(
    r"^(malloc|free|cfree|_int_malloc|_int_free|_int_realloc|realloc|calloc|malloc_consolidate|"
    r"unlink_chunk.*|sysmalloc|tcache_.*|__libc_malloc|__libc_free|operator new.*|operator delete.*|"
    r"alloc_perturb|_int_free_merge_chunk|_int_free_create_chunk|_int_free_maybe_consolidate)"
    r"(@.*)?$")
HEADER = re.compile(r"^\s*(\d+)/(\d+)\s+([\d.]+):\s+(\d+)\s*$")
FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")


def samples(stream):
    pid = tid = time = period = None
    frames = []
    for line in stream:
        m = HEADER.match(line)
        if m:
            if tid is not None:
                yield pid, tid, time, period, frames
            pid, tid, time, period = int(m.group(1)), int(m.group(2)), float(m.group(3)), int(m.group(4))
            frames = []
            continue
        f = FRAME.match(line)
        if f and tid is not None:
            sym, dso = f.group(1), f.group(2)
            if sym == "[unknown]":
                sym = "[unknown in " + dso.rsplit("/", 1)[-1] + "]"
            frames.append(sym)
    if tid is not None:
        yield pid, tid, time, period, frames


def stage_of(frames, compiled):
    for name, rx in compiled:
        if any(rx.search(s) for s in frames):
            return name
    if frames and frames[0].startswith("[unknown in [kernel"):
        return "kernel, unattributed"
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeline", action="store_true", help="also print the single-threaded fraction")
    ap.add_argument("--top", type=int, default=15, help="leaf functions to list")
    args = ap.parse_args()
    compiled = [(n, re.compile(p)) for n, p in STAGES]
    by_stage = collections.Counter()
    alloc_by_stage = collections.Counter()
    by_leaf = collections.Counter()
    main_by_stage = collections.Counter()
    threads = set()
    buckets = collections.defaultdict(set)
    total = 0
    first = last = None
    for pid, tid, time, period, frames in samples(sys.stdin):
        threads.add(tid)
        first = time if first is None else min(first, time)
        last = time if last is None else max(last, time)
        total += period
        st = stage_of(frames, compiled)
        by_stage[st] += period
        if tid == pid:
            main_by_stage[st] += period
        leaf = frames[0] if frames else "[no frame]"
        by_leaf[leaf] += period
        if ALLOCATOR.match(leaf):
            alloc_by_stage[st] += period
        buckets[int(time * 100)].add(tid)
    if total == 0:
        print("perf_breakdown: no samples", file=sys.stderr)
        return 1
    alloc_total = sum(alloc_by_stage.values())
    main_total = sum(main_by_stage.values())
    print(f"{'stage':<58} {'cpu share':>9} {'malloc/free':>12} {'main thread':>12}")
    for st, p in by_stage.most_common():
        a = alloc_by_stage.get(st, 0)
        mt = main_by_stage.get(st, 0)
        print(f"{st:<58} {100 * p / total:8.1f}% {100 * a / total:11.1f}% {100 * mt / total:11.1f}%")
    print(f"{'total':<58} {100.0:8.1f}% {100 * alloc_total / total:11.1f}% {100 * main_total / total:11.1f}%")
    print(f"({len(threads)} threads sampled; 'malloc/free': allocator functions at the leaf; 'main thread': "
          f"CPU on the main thread, which runs alone)")
    print()
    print("busiest leaf functions:")
    for leaf, p in by_leaf.most_common(args.top):
        print(f"  {100 * p / total:5.1f}%  {leaf}")
    if args.timeline:
        span = len(range(int(first * 100), int(last * 100) + 1))
        busy = {b: len(t) for b, t in buckets.items()}
        one = sum(1 for n in busy.values() if n == 1)
        several = sum(1 for n in busy.values() if n > 1)
        idle = span - one - several
        print()
        print(f"timeline over {span * 10} ms of samples (10 ms buckets, threads seen in each):")
        print(f"  one thread busy:      {100 * one / span:5.1f}% of the buckets")
        print(f"  several threads busy: {100 * several / span:5.1f}%")
        print(f"  no sample (waiting):  {100 * idle / span:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
