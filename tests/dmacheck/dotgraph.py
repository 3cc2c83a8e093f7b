"""Checks dmacheck --dot output: parses the DOT text (the subset dmacheck writes: node and
edge statements with attribute lists, one subgraph, comments), checks it against the JSON
report of the same case (same masters in the same order, each one edge to its IOMMU or to
"no IOMMU", red exactly when unprotected, each domain with its mode, each domain getting
what the report's device table gives it and dom0's withheld masters drawn as such), then the case's hand-written assertions in graphs/NAME.txt. Every check returns
a list of problems; empty means the graph is right."""
import re
import shlex

TOKEN = re.compile(r'\s+|//[^\n]*|"(?:[^"\\]|\\.)*"|->|[\[\]{}=,;]|[A-Za-z0-9_.]+')


class Graph:
    def __init__(self):
        self.nodes = {}   # id -> attributes, in the order first declared
        self.edges = []   # (from, to, attributes)


def tokens(text):
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"DOT: unexpected {text[pos:pos + 20]!r}")
        pos = m.end()
        t = m.group()
        if t.isspace() or t.startswith("//"):
            continue
        yield t[1:-1].replace('\\"', '"') if t.startswith('"') else t


def parse(text):
    """A Graph, or ValueError for anything that is not the DOT subset dmacheck writes."""
    toks, g, i = list(tokens(text)), Graph(), 0

    def attrs():
        nonlocal i
        a = {}
        if i < len(toks) and toks[i] == "[":
            i += 1
            while toks[i] != "]":
                if toks[i + 1] != "=":
                    raise ValueError(f"DOT: attribute {toks[i]!r} without a value")
                a[toks[i]] = toks[i + 2]
                i += 3
                if toks[i] == ",":
                    i += 1
            i += 1
        return a

    if toks[:3] != ["digraph", "dmacheck", "{"]:
        raise ValueError("DOT: does not start with 'digraph dmacheck {'")
    i, depth = 3, 1
    while depth:
        t = toks[i]
        if t == "}":
            depth -= 1
            i += 1
        elif t == "subgraph":
            if toks[i + 2] != "{":
                raise ValueError("DOT: subgraph without a body")
            depth += 1
            i += 3
        elif t in ("graph", "node", "edge"):
            i += 1
            attrs()
        elif toks[i + 1] == "=":
            i += 3
        elif toks[i + 1] == "->":
            src, dst = t, toks[i + 2]
            i += 3
            g.edges.append((src, dst, attrs()))
        else:
            i += 1
            if t in g.nodes:
                raise ValueError(f"DOT: node {t!r} declared twice")
            g.nodes[t] = attrs()
        if i < len(toks) and toks[i] == ";":
            i += 1
    if i != len(toks):
        raise ValueError("DOT: text after the graph")
    for src, dst, _ in g.edges:
        for end in (src, dst):
            if end not in g.nodes:
                raise ValueError(f"DOT: edge {src!r} -> {dst!r} names an undeclared node")
    return g


def colour(a):
    return a.get("color", "black")


def of_class(g, cls):
    return [n for n, a in g.nodes.items() if a.get("class") == cls]


def check_against_report(g, rep):
    """The picture must say what the JSON report says."""
    bad = []
    masters = of_class(g, "master")
    want = [m["path"] for m in rep["dma_masters"]]
    if masters != want:
        bad.append(f"master nodes {masters} are not the report's {want} (in its order)")
    if of_class(g, "iommu") != [io["path"] for io in rep["iommus"]]:
        bad.append(f"IOMMU nodes {of_class(g, 'iommu')} are not the report's")
    for io in rep["iommus"]:
        a = g.nodes.get(io["path"], {})
        if (colour(a) == "red") == io["enabled"]:
            bad.append(f"IOMMU {io['path']} (enabled: {io['enabled']}) is drawn {colour(a)}")
    for m in rep["dma_masters"]:
        out = [(d, a) for s, d, a in g.edges if s == m["path"] and a.get("class") == "dma"]
        dst = m["iommu"] or "no IOMMU"
        sids = ",".join(f"0x{s:x}" for s in m["stream_ids"])
        if len(out) != 1 or out[0][0] != dst:
            bad.append(f"{m['path']}: DMA edges {[d for d, _ in out]}, expected one to {dst}")
            continue
        if (colour(out[0][1]) == "red") == m["protected"]:
            bad.append(f"{m['path']} (protected: {m['protected']}): its edge to {dst} is "
                       f"{colour(out[0][1])}")
        if (colour(g.nodes[m["path"]]) == "red") == m["protected"]:
            bad.append(f"{m['path']} (protected: {m['protected']}): its node is "
                       f"{colour(g.nodes[m['path']])}")
        if out[0][1].get("label", "") != sids:
            bad.append(f"{m['path']}: edge label {out[0][1].get('label')!r}, StreamIDs {sids!r}")
    domains = of_class(g, "domain")
    if domains != [f"d{d['id']}" for d in rep["domains"]]:
        bad.append(f"domain nodes {domains} are not the report's")
    masters = {m["path"] for m in rep["dma_masters"]}
    for d in rep["domains"]:
        node, a = f"d{d['id']}", g.nodes.get(f"d{d['id']}", {})
        if d["mode"] not in a.get("label", "").split("\\n")[1]:
            bad.append(f"{node}: label {a.get('label')!r} does not give its mode {d['mode']}")
        gets = {dst: a for s, dst, a in g.edges if s == node and a.get("class") == "owns"}
        # what the device table gives it: masters and PCI functions with their DMA path,
        # and (a domU) the devices it names that are no DMA master
        want = {m["path"]: m["dma_path"] for m in rep["dma_masters"]
                if m["owner"] == d["id"] and m["fate"] == "given"}
        want.update({f"{node} PCI {f['bdf']}": f["dma_path"] for f in rep["pci_functions"]
                     if f["owner"] == d["id"] and f["fate"] == "given"})
        if d["unprotected_device_path"] == "none":
            want.update({p: None for p in d["devices"] if p not in masters})
        if set(gets) != set(want):
            bad.append(f"{node} gets {sorted(gets)}, the report says {sorted(want)}")
            continue
        for dst, path in want.items():
            label = gets[dst].get("label")
            if path and label != path:
                bad.append(f"{node} -> {dst}: labelled {label!r}, DMA path {path!r}")
            if (colour(gets[dst]) == "red") != (label == "impossible"):
                bad.append(f"{node} -> {dst}: {colour(gets[dst])} for DMA path {label!r}")
        held = {dst: a for s, dst, a in g.edges if s == node and a.get("class") == "withheld"}
        want_held = {m["path"] for m in rep["dma_masters"] if m["fate"] == "withheld"} \
            if d["unprotected_device_path"] != "none" else set()
        if set(held) != want_held:
            bad.append(f"{node} withholds {sorted(held)}, the report says {sorted(want_held)}")
        bad += [f"{node} -> {dst}: withheld, drawn {colour(a)}" for dst, a in held.items()
                if colour(a) != "red"]
    for f in rep["pci_functions"]:
        if f["fate"] != "given":
            continue
        fn = f"d{f['owner']} PCI {f['bdf']}"
        out = [(dst, a) for s, dst, a in g.edges if s == fn and a.get("class") == "behind"]
        if [dst for dst, _ in out] != [f["host_bridge"]]:
            bad.append(f"{fn}: behind {[dst for dst, _ in out]}, not {f['host_bridge']}")
        elif (colour(out[0][1]) == "red") == f["protected"]:
            bad.append(f"{fn} (protected: {f['protected']}): drawn {colour(out[0][1])}")
    return bad


def check_assertions(g, lines):
    """graphs/NAME.txt, one assertion a line (shlex words; '*' matches any node):
         nodes CLASS N                  N nodes of that class
         edges CLASS FROM TO N COLOUR   N such edges, every one of them COLOUR
         colour NODE COLOUR             the node is drawn in COLOUR
         label NODE TEXT                the node's label contains TEXT"""
    bad, n = [], 0
    for line in lines:
        w = shlex.split(line, comments=True)
        if not w:
            continue
        n += 1
        if w[0] == "nodes" and len(w) == 3:
            got = len(of_class(g, w[1]))
            if got != int(w[2]):
                bad.append(f"{line.strip()}: {got} {w[1]} nodes")
        elif w[0] == "edges" and len(w) == 6:
            es = [a for s, d, a in g.edges if a.get("class") == w[1] and
                  w[2] in ("*", s) and w[3] in ("*", d)]
            cols = sorted({colour(a) for a in es})
            if len(es) != int(w[4]) or cols not in ([], [w[5]]):
                bad.append(f"{line.strip()}: {len(es)} edges, colours {cols}")
        elif w[0] == "colour" and len(w) == 3:
            if w[1] not in g.nodes or colour(g.nodes[w[1]]) != w[2]:
                bad.append(f"{line.strip()}: {colour(g.nodes.get(w[1], {}))}")
        elif w[0] == "label" and len(w) == 3:
            if w[2] not in g.nodes.get(w[1], {}).get("label", ""):
                bad.append(f"{line.strip()}: label {g.nodes.get(w[1], {}).get('label')!r}")
        else:
            raise ValueError(f"graphs: cannot read {line.strip()!r}")
    if not n:
        bad.append("no assertions")
    return bad


def check(text, rep, assertion_lines):
    try:
        g = parse(text)
    except (ValueError, IndexError) as e:
        return [str(e) or "DOT: ends too early"]
    return check_against_report(g, rep) + check_assertions(g, assertion_lines)


def wrong_graphs(text):
    """Deliberately wrong pictures for the negative control, those that differ from text:
    each must fail check()."""
    red = ', color=red, fontcolor=red];'
    for what, pattern, repl in [
            ("a red DMA edge drawn black", r'(class="dma", label="[^"]*")' + re.escape(red),
             r"\1];"),
            ("a black DMA edge drawn red", r'(class="dma", label="[^"]*")\];', r"\1" + red),
            ("one master left out", r'\t[^\n]*\[class="master"[^\n]*\n', ""),
            ("a DMA edge to the wrong node", r'-> "[^"]*" \[class="dma"',
             '-> "legend iommu" [class="dma"'),
            ("a domain's device left out", r'\t[^\n]*\[class="owns"[^\n]*\n', ""),
            ("a withheld device drawn as given", r'class="withheld"', 'class="owns"'),
            ("a protected PCI function drawn red", r'(label="behind: protected")\]',
             r"\1" + red[:-1]),
            ("a domain's mode changed", r'(class="domain"[^\n]*\\n)(direct-mapped|coloured)',
             r"\1translated")]:
        wrong = re.sub(pattern, repl, text, count=1)
        if wrong != text:
            yield what, wrong
