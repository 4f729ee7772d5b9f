#!/usr/bin/python3
"""The reference VAE's three matrix-product shapes (batch 128, 784 -> 400) through the Debian PyTorch
(OpenBLAS), milliseconds per product, one thread: the counterpart of apps/bench/java/MatmulBench.java."""
import time

import torch

torch.set_num_threads(1)
a, w, b, g = torch.rand(128, 784), torch.rand(400, 784), torch.rand(400), torch.rand(128, 400)


def bench(f, n=300):
    for _ in range(20):
        f()
    t = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - t) / n * 1e3


print(f"torch {torch.__version__}")
print("x W^T (128x784 . 784x400): %.3f ms" % bench(lambda: a.mm(w.t())))
print("G^T x (400x128 . 128x784): %.3f ms" % bench(lambda: g.t().mm(a)))
print("G W (128x400 . 400x784): %.3f ms" % bench(lambda: g.mm(w)))
print("linear (x W^T + b): %.3f ms" % bench(lambda: torch.nn.functional.linear(a, w, b)))
