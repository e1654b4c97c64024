#!/usr/bin/env python3
# The imports between the feature modules of a Rust source tree, and the cycles among them.
#
#   scripts/module-deps.py SRC [DEPTH]          every edge, then the cycles
#   scripts/module-deps.py --check SRC [DEPTH]  only the cycles; exits 1 if there is one
#
# A module is a path DEPTH levels deep under SRC (1 for a crate of features such as
# crates/services/src, 2 for app/src, whose first level is the layer: pages, api, components).
# `make lint` runs the check on every crate, so a new cycle fails it.
import collections, glob, os, re, sys

args = [a for a in sys.argv[1:] if a != '--check']
check = '--check' in sys.argv
root = args[0] if args else 'app/src'
depth = int(args[1]) if len(args) > 1 else 1

def module_of(path):
    rel = os.path.relpath(path, root)[:-3].split('/')
    if rel[-1] in ('mod', 'lib', 'main'):
        rel = rel[:-1]
    return rel

def exists(parts):
    p = os.path.join(root, *parts)
    return os.path.exists(p + '.rs') or os.path.isdir(p)

edges = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(root + '/**/*.rs', recursive=True)):
    mod = module_of(f)
    if not mod:
        continue
    src = '/'.join(mod[:depth])
    for ln, line in enumerate(open(f), 1):
        code = line.split('//')[0]
        targets = [u.split('::') for u in re.findall(r'\bcrate::((?:\w+::)*\w+)', code)]
        # super:: resolves against the parent module (`mod` is the file's own module).
        for u in re.findall(r'\bsuper::((?:\w+::)*\w+)', code):
            targets.append(mod[:-1] + u.split('::'))
        for parts in targets:
            # The longest prefix that names a module file or folder.
            while parts and not exists(parts):
                parts = parts[:-1]
            if not parts:
                continue
            dst = '/'.join(parts[:depth])
            if dst != src and not src.startswith(dst + '/') and not dst.startswith(src + '/'):
                edges[src][dst].append(f"{os.path.relpath(f, root)}:{ln}")

def cycles():
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in list(edges):
        if v not in index:
            visit(v)
    return out

if not check:
    for s in sorted(edges):
        for d in sorted(edges[s]):
            print(f"{s} -> {d}  ({len(edges[s][d])}) e.g. {edges[s][d][0]}")
found = cycles()
for comp in found:
    print(f"cycle in {root}: " + ', '.join(comp))
    for a in comp:
        for b in comp:
            if b in edges[a]:
                print(f"  {a} -> {b}  e.g. {edges[a][b][0]}")
sys.exit(1 if check and found else 0)
