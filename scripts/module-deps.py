#!/usr/bin/env python3
# Prints the imports between feature modules (layer/feature, two levels deep) of a Rust source
# tree: `python3 scripts/module-deps.py app/src [a,b,c]` lists every edge, or only those among
# the listed modules (to read a cycle). Used to plan the architecture work of issue 21.
import re,os,glob,collections,sys
root=sys.argv[1] if len(sys.argv)>1 else 'app/src'
def mod_of(path):
    rel=os.path.relpath(path,root)[:-3].split('/')
    if rel[-1] in('mod','lib'): rel=rel[:-1]
    return rel
edges=collections.defaultdict(lambda: collections.defaultdict(list))
for f in glob.glob(root+'/**/*.rs',recursive=True):
    m=mod_of(f)
    if not m: continue
    src='/'.join(m[:2])
    for ln,line in enumerate(open(f),1):
        for u in re.findall(r'crate::((?:\w+::){1,2})',line):
            parts=u.strip(':').split('::')
            dst='/'.join(parts[:2])
            if dst!=src: edges[src][dst].append(f"{os.path.relpath(f,root)}:{ln}")
        for u in re.findall(r'super::(\w+)',line):
            if len(m)>=2:
                dst=m[0]+'/'+u
                if dst!=src and (os.path.exists(f"{root}/{m[0]}/{u}.rs") or os.path.isdir(f"{root}/{m[0]}/{u}")):
                    edges[src][dst].append(f"{os.path.relpath(f,root)}:{ln}")
scc=set(sys.argv[2].split(',')) if len(sys.argv)>2 else None
for s in sorted(edges):
    for d in sorted(edges[s]):
        if scc is None or (s in scc and d in scc):
            print(f"{s} -> {d}  ({len(edges[s][d])}) e.g. {edges[s][d][0]}")
