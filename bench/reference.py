"""The PyTorch reference for `npm run bench`: the workloads written as a PyTorch user would write them.

Runs as a long-lived process so the benchmark can alternate Scorebench and PyTorch rounds: it reads
one JSON command per line on stdin and answers one JSON line on stdout.

  {"cmd": "info", "threads": 2}   -> torch version, threads, the BLAS library torch loaded
  {"cmd": "train", ...}           -> {"seconds", "steps", "finalLoss"}   (see train(); "model": "unet"
                                     trains the image U-Net, else the MLP)
  {"cmd": "sample", ...}          -> {"seconds", "chainSteps"}           (see sample())

Both take "threads" (torch.set_num_threads) and "maxSeconds": a round stops early past it and
reports the steps it did, so a machine busy with other work cannot stretch the benchmark.

The network, objective, optimizer and sampler mirror Scorebench's (src-main/engine): the same
widths, softplus, sinusoidal embedding of log σ at the same frequencies, s = f/σ, multi-scale DSM
with λ(σ) = σ², Adam (β = 0.9, 0.999, ε = 1e-7 as tfjs), the cosine learning-rate decay, the loss read
back every `logEvery` steps with its per-level means, and float32 throughout.
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F


class ScoreMlp(torch.nn.Module):
    """[x, sin(ω·log σ), cos(ω·log σ)] -> hidden softplus layers -> D, divided by σ."""

    def __init__(self, dim, hidden, embedding_dim):
        super().__init__()
        k = embedding_dim // 2
        freqs = torch.tensor([100.0 ** (i / (k - 1)) if k > 1 else 1.0 for i in range(k)])
        self.register_buffer("freqs", freqs.view(1, k))
        widths = [dim + embedding_dim, *hidden, dim]
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))

    def load_kernels(self, weights):
        """Scorebench's weights, in its order: kernel [in, out] and bias of each layer."""
        with torch.no_grad():
            for layer, kernel, bias in zip(self.layers, weights[0::2], weights[1::2]):
                layer.weight.copy_(torch.tensor(kernel["data"]).view(kernel["shape"]).t())
                layer.bias.copy_(torch.tensor(bias["data"]))

    def forward(self, x, sigma):
        phase = torch.log(sigma) * self.freqs
        c = torch.cat([torch.sin(phase), torch.cos(phase)], 1)
        h = torch.cat([x, c.expand(x.shape[0], -1)], 1)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i + 1 < len(self.layers):
                h = F.softplus(h)
        return h / sigma


class ScoreUnet(torch.nn.Module):
    """Scorebench's U-Net (src-main/engine/networks/unet.ts): 3x3 convolutions, FiLM from a sinusoidal
    embedding of log sigma, 2x2 average pooling down, nearest upsampling and skip concatenation up,
    SiLU (swish), s = f/sigma. Rows of height*width*channels values in and out (NHWC order)."""

    def __init__(self, image, channels, embedding_dim):
        super().__init__()
        self.image = image
        k = embedding_dim // 2
        freqs = torch.tensor([100.0 ** (i / (k - 1)) if k > 1 else 1.0 for i in range(k)])
        self.register_buffer("freqs", freqs.view(1, k))
        c_img = image["channels"]
        self.embed = torch.nn.Linear(embedding_dim, embedding_dim)
        self.head = torch.nn.Conv2d(c_img, channels[0], 3, padding=1)
        ins = [channels[0], *channels[:-1]]
        self.down = torch.nn.ModuleList(torch.nn.Conv2d(a, b, 3, padding=1) for a, b in zip(ins, channels))
        self.down_film = torch.nn.ModuleList(torch.nn.Linear(embedding_dim, 2 * c) for c in channels)
        self.up = torch.nn.ModuleList(torch.nn.Conv2d(channels[i + 1] + c, c, 3, padding=1) for i, c in enumerate(channels[:-1]))
        self.up_film = torch.nn.ModuleList(torch.nn.Linear(embedding_dim, 2 * c) for c in channels[:-1])
        self.out = torch.nn.Conv2d(channels[0], c_img, 3, padding=1)

    @staticmethod
    def block(h, conv, film, emb):
        y = conv(h)
        gamma, beta = film(emb).chunk(2, dim=1)
        return F.silu(y * (1 + gamma[:, :, None, None]) + beta[:, :, None, None])

    def forward(self, x, sigma):
        n = x.shape[0]
        phase = torch.log(sigma) * self.freqs
        emb = F.silu(self.embed(torch.cat([torch.sin(phase), torch.cos(phase)], 1)))
        img = self.image
        h = self.head(x.view(n, img["height"], img["width"], img["channels"]).permute(0, 3, 1, 2))
        skips = []
        for i, (conv, film) in enumerate(zip(self.down, self.down_film)):
            h = self.block(h, conv, film, emb)
            if i + 1 < len(self.down):
                skips.append(h)
                h = F.avg_pool2d(h, 2)
        for i in range(len(self.up) - 1, -1, -1):
            h = torch.cat([F.interpolate(h, size=skips[i].shape[2:], mode="nearest"), skips[i]], 1)
            h = self.block(h, self.up[i], self.up_film[i], emb)
        f = self.out(h).permute(0, 2, 3, 1).reshape(n, -1)
        return f / sigma


def build_network(cmd):
    if cmd.get("model") == "unet":
        return ScoreUnet(cmd["image"], cmd["channels"], cmd["embeddingDim"])
    return ScoreMlp(cmd["dim"], cmd["hidden"], cmd["embeddingDim"])


def train(cmd):
    """`steps` Adam steps of multi-scale DSM on batches of `batch` rows drawn from `data`; timed from the first step."""
    torch.set_num_threads(cmd["threads"])
    torch.manual_seed(cmd.get("seed", 0))
    dim = cmd["dim"]
    data = torch.tensor(cmd["data"], dtype=torch.float32).view(-1, dim)
    sigmas = torch.tensor(cmd["sigmas"], dtype=torch.float32)
    weights = sigmas**2
    levels = len(cmd["sigmas"])
    net = build_network(cmd)
    opt = torch.optim.Adam(net.parameters(), lr=cmd["lr"], eps=1e-7)
    steps, batch, log_every = cmd["steps"], cmd["batch"], cmd["logEvery"]
    loss_value = None
    done = 0
    start = time.perf_counter()
    for step in range(1, steps + 1):
        for group in opt.param_groups:
            group["lr"] = cmd["lr"] * 0.5 * (1 + math.cos(math.pi * (step - 1) / steps))
        x = data[torch.randint(0, data.shape[0], (batch,))]
        level = torch.randint(0, levels, (batch,))
        sigma = sigmas[level].unsqueeze(1)
        z = torch.randn_like(x)
        per_sample = 0.5 * weights[level] * (net(x + sigma * z, sigma) + z / sigma).square().sum(1)
        loss = per_sample.mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step == 1 or step == steps or step % log_every == 0:
            loss_value = loss.item()
            losses = per_sample.detach()
            sums = torch.zeros(levels).index_add_(0, level, losses)
            counts = torch.bincount(level, minlength=levels)
            _level_means = (sums / counts.clamp(min=1)).tolist()
        done = step
        if time.perf_counter() - start > cmd["maxSeconds"]:
            break
    return {"seconds": time.perf_counter() - start, "steps": done, "finalLoss": loss_value}


def sample(cmd):
    """Annealed Langevin ('half' convention) over `chains` chains, `stepsPerLevel` steps at each level."""
    torch.set_num_threads(cmd["threads"])
    torch.manual_seed(cmd.get("seed", 0))
    dim = cmd["dim"]
    net = ScoreMlp(dim, cmd["hidden"], cmd["embeddingDim"])
    net.load_kernels(cmd["weights"])
    x = torch.tensor(cmd["init"], dtype=torch.float32).view(cmd["chains"], dim)
    steps = 0
    start = time.perf_counter()
    with torch.no_grad():
        for level in cmd["levels"]:
            sigma = torch.full((1, 1), level["sigma"])
            drift, noise = level["alpha"] / 2, math.sqrt(level["alpha"])
            for _ in range(cmd["stepsPerLevel"]):
                x = x + drift * net(x, sigma) + noise * torch.randn_like(x)
                steps += 1
            if time.perf_counter() - start > cmd["maxSeconds"]:
                break
    seconds = time.perf_counter() - start
    assert torch.isfinite(x).all()
    return {"seconds": seconds, "chainSteps": steps * cmd["chains"]}


def blas_library():
    """The BLAS shared library this process loaded (the Debian package picks it via update-alternatives)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    for path in sorted(paths):
        name = path.rsplit("/", 1)[-1]
        if any(tag in name for tag in ("openblas", "mkl_rt", "libblas", "blis")):
            return path
    return "none found"


def info(cmd):
    torch.set_num_threads(cmd["threads"])
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}


COMMANDS = {"info": info, "train": train, "sample": sample}

if __name__ == "__main__":
    for line in sys.stdin:
        command = json.loads(line)
        try:
            reply = COMMANDS[command["cmd"]](command)
        except Exception as err:  # the benchmark prints it and goes on
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)
