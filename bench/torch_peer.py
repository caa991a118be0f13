#!/usr/bin/python3
"""hesspec's PyTorch peer for `hesspec bench`.

Times what a PyTorch user would run for the same curvature products as hesspec, on the
workloads of `hesspec bench` (same shapes and sizes; its own seeds):

  mlp        784-1024-1024-10 ReLU, 1000 examples
  cnn        conv3x3(32)-ReLU-pool-conv3x3(64)-ReLU-pool-fc128-ReLU-fc10 on 1x28x28, 500 examples
  mlp-small  784-256-256-10 ReLU, 1000 examples

N(0,1) float32 inputs, labels 0..9, mean softmax cross-entropy, all examples in one batch.

Metrics (each workload in its own subprocess, so peak RSS is per workload):
  loss_grad         forward + backward
  hvp_full          Hess v by double backward, forward and first backward included
  hvp_reuse         Hess v reusing a kept first-order graph (what PyHessian does for one batch)
  gnvp_full         G v = J^T A J v (J v by the double-VJP trick), forward included
  hv_residual_full  H v = Hess v - G v, the residual-weighted Hessian of the logits, forward included
  slq_total         one PyHessian-style density run: Lanczos with full reorthogonalisation,
                    one Rademacher start vector, --slq-steps products hvp_full
  slq_per_iter      slq_total / steps
  peak_rss_MiB      the workload process's peak resident memory (VmHWM; not ru_maxrss, which Linux
                    carries over from the parent across fork and exec: started by a 1.5 GB JVM, a
                    Python process reported the JVM's 1.5 GB)
  params            number of parameters (a count, not a time)

Output: CSV `workload,metric,unit,median,min,max,runs,threads` (unit: s, MiB, count or ratio),
preceded by `# key=value` lines (torch version, threads, BLAS library, environment). Progress
goes to stderr.

`--serve WORKLOAD` is how `hesspec bench` runs it: one process that keeps the workload and answers
requests on stdin, one line each, so that its repetitions alternate with hesspec's (see
`experiments/.../bench/WorkerProtocol.java`): `time METRIC` times one repetition of a metric above
(answer `time SECONDS`), `slq STEPS` one density run, `counts` the parameter count, the split check
and peak RSS (answers `row WORKLOAD,pytorch,METRIC,UNIT,MEDIAN,MIN,MAX,RUNS,THREADS`), `quit`.
Every answer ends with a line `done`; the first, unasked, carries `meta KEY=VALUE` lines.

Run it in the tuned environment of bench/README.md (hesspec bench does):
  OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 \
  MALLOC_TOP_PAD_=1073741824 /usr/bin/python3 bench/torch_peer.py --out peer.csv
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

SEED = 1234
CLASSES = 10
THREADS = 2  # intra-op threads; --threads sets it (hesspec bench passes its own, so both tools get the same cores)
EXAMPLES = {"mlp": 1000, "cnn": 500, "mlp-small": 1000, "train_epoch": 5000}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def network(name):
    """The model (parameters drawn under torch.manual_seed(SEED)) and one example's shape."""
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    if name in ("mlp", "mlp-small"):
        h = 1024 if name == "mlp" else 256
        layers = [nn.Linear(784, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, CLASSES)]
        return nn.Sequential(*layers), (784,)
    if name == "cnn":
        layers = [nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Linear(128, CLASSES)]
        return nn.Sequential(*layers), (1, 28, 28)
    raise SystemExit(f"unknown workload {name!r}; expected one of {', '.join(EXAMPLES)}")


def examples(name, shape):
    import torch
    gen = torch.Generator().manual_seed(SEED + 1)
    n = EXAMPLES[name]
    x = torch.randn((n,) + shape, generator=gen, dtype=torch.float32)
    y = torch.randint(0, CLASSES, (n,), generator=gen)
    return x, y


# ---------------------------------------------------------------- vectors as lists of tensors
def dot(a, b):
    return sum((ai * bi).sum() for ai, bi in zip(a, b))


def axpy_(y, x, alpha):
    """y += alpha x, in place."""
    for yi, xi in zip(y, x):
        yi.data.add_(xi * alpha)
    return y


def normalized(v):
    norm = float(dot(v, v)) ** 0.5
    return [vi / (norm + 1e-6) for vi in v]


def rademacher(params, gen):
    import torch
    return [torch.randint(0, 2, p.shape, generator=gen).to(p.dtype) * 2 - 1 for p in params]


# ------------------------------------------------------------------------------ products
class Products:
    def __init__(self, model, x, y):
        self.model, self.x, self.y = model, x, y
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.kept = None

    def loss(self):
        import torch.nn.functional as F
        return F.cross_entropy(self.model(self.x), self.y)

    def gradient(self):
        import torch
        return torch.autograd.grad(self.loss(), self.params)

    def hessian(self, v):
        import torch
        g = torch.autograd.grad(self.loss(), self.params, create_graph=True)
        return torch.autograd.grad(g, self.params, grad_outputs=v)

    def keep_first_order(self):
        import torch
        self.kept = torch.autograd.grad(self.loss(), self.params, create_graph=True)

    def hessian_reuse(self, v):
        import torch
        return torch.autograd.grad(self.kept, self.params, grad_outputs=v, retain_graph=True)

    def gauss_newton(self, v):
        import torch
        z = self.model(self.x)
        u = torch.zeros_like(z, requires_grad=True)
        jtu = torch.autograd.grad(z, self.params, grad_outputs=u, create_graph=True)
        jv = torch.autograd.grad(jtu, u, grad_outputs=v)[0]
        p = torch.softmax(z.detach(), dim=1)
        ajv = (p * jv - p * (p * jv).sum(dim=1, keepdim=True)) / z.shape[0]
        return torch.autograd.grad(z, self.params, grad_outputs=ajv)

    def residual(self, v):
        import torch
        import torch.nn.functional as F
        z = self.model(self.x)
        with torch.no_grad():
            r = (torch.softmax(z, dim=1) - F.one_hot(self.y, CLASSES).to(z.dtype)) / z.shape[0]
        g = torch.autograd.grad((r * z).sum(), self.params, create_graph=True)
        # the last bias's gradient sum(r) is a constant: its rows of H are zero
        live = [i for i, gi in enumerate(g) if gi.requires_grad]
        hv = torch.autograd.grad([g[i] for i in live], self.params, grad_outputs=[v[i] for i in live],
                                 allow_unused=True)
        return [torch.zeros_like(p) if h is None else h for h, p in zip(hv, self.params)]


def slq(hvp, params, steps, seed):
    """PyHessian density() with one start vector: Lanczos, full reorthogonalisation (modified
    Gram-Schmidt against every previous vector), Ritz values from the tridiagonal matrix."""
    import torch
    gen = torch.Generator().manual_seed(seed)
    basis = [normalized(rademacher(params, gen))]
    alphas, betas = [], []
    w = None
    for i in range(steps):
        if i > 0:
            beta = float(dot(w, w)) ** 0.5
            betas.append(beta)
            if beta == 0.0:
                w = [torch.randn(p.shape, generator=gen) for p in params]
            for q in basis:
                axpy_(w, q, -dot(w, q))
            basis.append(normalized(w))
        v = basis[-1]
        hv = list(hvp(v))
        alpha = dot(hv, v)
        alphas.append(float(alpha))
        w = axpy_(hv, v, -alpha)
        if i > 0:
            w = axpy_(w, basis[-2], -betas[-1])
    t = torch.diag(torch.tensor(alphas, dtype=torch.float64))
    if betas:
        off = torch.tensor(betas, dtype=torch.float64)
        t += torch.diag(off, 1) + torch.diag(off, -1)
    ritz = torch.linalg.eigvalsh(t)
    return float(ritz.min()), float(ritz.max())


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts), max(ts), runs


UNITS = {"params": "count", "peak_rss_MiB": "MiB", "check_split_relerr": "ratio", "slq_ritz_min": "eigenvalue",
         "slq_ritz_max": "eigenvalue"}


def unit(metric):
    return UNITS.get(metric, "s")


class Workload:
    """One workload's model, data, start vector and timed actions, as both modes use them."""

    def __init__(self, name):
        import torch
        torch.set_num_threads(THREADS)
        self.name = name
        model, shape = network(name)
        x, y = examples(name, shape)
        self.ops = ops = Products(model, x, y)
        self.v = v = normalized(rademacher(ops.params, torch.Generator().manual_seed(SEED + 3)))
        self.actions = {
            "loss_grad": ops.gradient,
            "hvp_full": lambda: ops.hessian(v),
            "hvp_reuse": self.hessian_reuse,
            "gnvp_full": lambda: ops.gauss_newton(v),
            "hv_residual_full": lambda: ops.residual(v),
        }

    def hessian_reuse(self):
        if self.ops.kept is None:  # the first-order graph is built once and kept (not timed after warm-up)
            self.ops.keep_first_order()
        return self.ops.hessian_reuse(self.v)

    def params(self):
        n = sum(p.numel() for p in self.ops.params)
        return [("params", (n, n, n, 1))]

    def split_check(self):
        """Hess v = G v + H v, a check that the three products are the same operator's parts."""
        import torch
        ops, v = self.ops, self.v
        flat = lambda ts: torch.cat([t.reshape(-1) for t in ts])
        hv = flat(ops.hessian(v))
        split = float((hv - flat(ops.gauss_newton(v)) - flat(ops.residual(v))).norm() / hv.norm())
        return [("check_split_relerr", (split, split, split, 1))]

    def density(self, steps):
        t0 = time.perf_counter()
        lo, hi = slq(self.ops.hessian, self.ops.params, steps, SEED + 7)
        total = time.perf_counter() - t0
        return [("slq_total", (total, total, total, 1)), ("slq_per_iter", (total / steps,) * 3 + (steps,)),
                ("slq_ritz_min", (lo, lo, lo, 1)), ("slq_ritz_max", (hi, hi, hi, 1))]


def peak_rss_mib():
    """This process's own peak resident memory in MiB: VmHWM of /proc/self/status, which belongs to the
    current address space; ru_maxrss is kept across fork and exec, so under the JVM that starts this
    script it reports the JVM's peak when that is larger."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peak_rss():
    rss = peak_rss_mib()
    return [("peak_rss_MiB", (rss, rss, rss, 1))]


def meta():
    import torch
    env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                   if k.startswith(("OMP_", "OPENBLAS_", "MKL_", "MALLOC_", "GOMP_")) or k == "LD_LIBRARY_PATH")
    return {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(), "blas": ";".join(loaded_blas()) or "none found",
            "env": env}


def serve(name):
    """Answers requests on stdin (see the module's docstring) until `quit` or end of input."""
    if name not in EXAMPLES:
        raise SystemExit(f"unknown workload {name!r}; expected one of {', '.join(EXAMPLES)}")
    w = Workload(name)
    out = sys.stdout

    def rows(items):
        for metric, (med, mn, mx, n) in items:
            out.write(f"row {name},pytorch,{metric},{unit(metric)},{med!r},{mn!r},{mx!r},{n},{THREADS}\n")

    for k, v in meta().items():
        out.write(f"meta {k}={v}\n")
    out.write("done\n")
    out.flush()
    while True:
        line = sys.stdin.readline()
        if not line or line.strip() == "quit":
            break
        f = line.split()
        try:
            if len(f) == 2 and f[0] == "time" and f[1] in w.actions:
                t0 = time.perf_counter()
                w.actions[f[1]]()
                out.write(f"time {time.perf_counter() - t0!r}\n")
            elif len(f) == 2 and f[0] == "slq":
                rows(w.density(int(f[1])))
            elif f == ["counts"]:
                rows(w.params() + w.split_check() + peak_rss())
            else:
                out.write(f"error unknown request {line.strip()!r}; expected time METRIC ({', '.join(w.actions)}), "
                          f"slq STEPS, counts or quit\n")
        except Exception as e:  # reported to the driver, which stops with the message
            out.write(f"error {line.strip()}: {e!r}\n".replace("\n", " ").rstrip() + "\n")
        out.write("done\n")
        out.flush()


def loaded_blas():
    found = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path) and path not in found:
                    found.append(path)
    except OSError:
        pass
    return found


# ------------------------------------------------------------------------- train_epoch
TRAIN_WIDTH = 0.125          # VGG11_bn width multiplier (hesspec's TrainEpochBench.WIDTH)
TRAIN_BATCH = 128
FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def vgg11_bn(width, classes=CLASSES):
    """Papyan's VGG11_bn at a width multiplier: conv3x3-BN-ReLU blocks of cfg A, 2x2 max-pools,
    classifier Linear(no bias)-BN1d-ReLU twice, then Linear (hesspec's Vgg11 with batchNorm)."""
    from torch import nn
    scaled = lambda c: max(1, round(c * width))
    layers, cin = [], 3
    for v in [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, scaled(v), 3, padding=1), nn.BatchNorm2d(scaled(v)), nn.ReLU()]
            cin = scaled(v)
    h = scaled(4096)
    layers += [nn.Flatten(), nn.Linear(cin, h, bias=False), nn.BatchNorm1d(h), nn.ReLU(),
               nn.Linear(h, h, bias=False), nn.BatchNorm1d(h), nn.ReLU(), nn.Linear(h, classes)]
    return nn.Sequential(*layers)


def fashion_mnist_32(n):
    """The first n Fashion-MNIST training images, zero-padded to 32x32 and repeated to 3 channels
    (NCHW), in [0, 1]; N(0,1) noise of that shape when the Debian package is missing (the timed
    arithmetic does not depend on the values)."""
    import gzip
    import torch
    try:
        with gzip.open(FASHION_MNIST) as f:
            raw = f.read()
        x = torch.frombuffer(bytearray(raw[16:16 + n * 784]), dtype=torch.uint8).reshape(n, 1, 28, 28).float() / 255
        source = "fashion-mnist"
    except OSError:
        x = torch.randn((n, 1, 28, 28), generator=torch.Generator().manual_seed(SEED + 1))
        source = "noise"
    x = torch.nn.functional.pad(x, (2, 2, 2, 2)).repeat(1, 3, 1, 1).contiguous()
    y = torch.randint(0, CLASSES, (n,), generator=torch.Generator().manual_seed(SEED + 2))
    return x, y, source


def train_epoch_worker(warmup, runs, out):
    """Epochs of SGD (momentum 0.9, weight decay 5e-4, batch 128, shuffled) on VGG11_bn in
    training mode; each epoch timed whole (shuffle, batches, forward, backward, step)."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    n = EXAMPLES["train_epoch"]
    model = vgg11_bn(TRAIN_WIDTH)
    x, y, source = fashion_mnist_32(n)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    model.train()
    gen = torch.Generator().manual_seed(SEED + 3)

    def epoch():
        order = torch.randperm(n, generator=gen)
        for s in range(0, n, TRAIN_BATCH):
            idx = order[s:s + TRAIN_BATCH]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()

    nparams = sum(p.numel() for p in model.parameters())
    med, mn, mx, k = timed(epoch, warmup, runs)
    log(f"  [train_epoch] vgg11_bn width {TRAIN_WIDTH}, {n} {source} images, batch {TRAIN_BATCH}, p = {nparams}: "
        f"epoch median {med:.3f} s  min {mn:.3f}  max {mx:.3f}")
    rows = [["train_epoch", "params", unit("params"), nparams, nparams, nparams, 1],
            ["train_epoch", "train_epoch", unit("train_epoch"), med, mn, mx, k]]
    rss = peak_rss_mib()
    rows.append(["train_epoch", "peak_rss_MiB", unit("peak_rss_MiB"), rss, rss, rss, 1])
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads(), "blas": ";".join(loaded_blas()) or "none found"}
    with open(out, "w") as f:
        json.dump({"rows": rows, "meta": meta}, f)


def worker(name, warmup, runs, slq_steps, out):
    if name == "train_epoch":
        train_epoch_worker(warmup, runs, out)
        return
    w = Workload(name)
    rows = []

    def add(items):
        for metric, stats in items:
            rows.append([name, metric, unit(metric), *stats])
            if stats[3] > 1:
                log(f"  [{name}] {metric:17s} median {stats[0]:.4f} s  min {stats[1]:.4f}  max {stats[2]:.4f}")
            elif metric != "params":
                log(f"  [{name}] {metric:17s} {stats[0]:.5g}")

    add(w.params())
    for metric, action in w.actions.items():
        if metric == "hvp_reuse":
            w.ops.keep_first_order()
        add([(metric, timed(action, warmup, runs))])
        w.ops.kept = None
    add(w.split_check())
    if slq_steps > 0:
        add(w.density(slq_steps))
    add(peak_rss())
    m = meta()
    m.pop("env")
    with open(out, "w") as f:
        json.dump({"rows": rows, "meta": m}, f)


def main():
    global THREADS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="CSV file to write (required)")
    ap.add_argument("--workloads", default="mlp,cnn,mlp-small")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--slq-steps", type=int, default=80)
    ap.add_argument("--threads", type=int, default=THREADS, help="intra-op threads (torch.set_num_threads) [%(default)s]")
    ap.add_argument("--serve", metavar="WORKLOAD", help="answer requests on stdin (how hesspec bench runs it)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.threads < 1:
        ap.error(f"--threads must be >= 1, got {a.threads}")
    THREADS = a.threads
    if a.serve:
        serve(a.serve)
        return
    if a.worker:
        worker(a.worker, a.warmup, a.runs, a.slq_steps, a.worker_out)
        return
    if not a.out:
        ap.error("--out is required")
    rows, meta = [], {}
    for name in a.workloads.split(","):
        if name not in EXAMPLES:
            raise SystemExit(f"unknown workload {name!r}; expected one of {', '.join(EXAMPLES)}")
        log(f"torch peer: {name} ({EXAMPLES[name]} examples, {THREADS} threads)")
        fd, tmp = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        try:
            subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", name, "--worker-out", tmp,
                            "--runs", str(a.runs), "--warmup", str(a.warmup), "--slq-steps", str(a.slq_steps),
                            "--threads", str(THREADS)],
                           check=True)
            with open(tmp) as f:
                res = json.load(f)
        finally:
            os.unlink(tmp)
        rows += res["rows"]
        meta = res["meta"]
    env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                   if k.startswith(("OMP_", "OPENBLAS_", "MKL_", "MALLOC_", "GOMP_")) or k == "LD_LIBRARY_PATH")
    with open(a.out, "w") as f:
        for k, v in meta.items():
            f.write(f"# {k}={v}\n")
        f.write(f"# env={env}\n")
        f.write("workload,metric,unit,median,min,max,runs,threads\n")
        for name, metric, u, med, mn, mx, n in rows:
            f.write(f"{name},{metric},{u},{med:.6g},{mn:.6g},{mx:.6g},{n},{meta.get('threads', THREADS)}\n")
    log(f"torch peer: wrote {a.out}")


if __name__ == "__main__":
    main()
