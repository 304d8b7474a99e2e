"""A faithful PyTorch NCSN on a 2-D mixture with a narrow, light mode: the reference that Scorebench's
defaults are measured against (README, "Narrow modes"). Run with Debian's python3-torch:

  /usr/bin/python3 bench/narrow-mode.py [--init pytorch|glorot] [--lr-schedule constant|cosine]
      [--lr 1e-3] [--steps 2000] [--batch 256] [--sigma-min 0.01] [--eps 2e-5] [--seeds 0,1,2]

It prints one JSON line per seed: the narrow mode's share, the off-support fraction and the
Fisher divergence at each level (the same measures as Scorebench's metrics, engine/metrics).

Everything mirrors Scorebench's defaults (src-main/engine): the mixture of the `mixture-narrow-mode`
preset (src-shared/presets.ts) drawn once (n 5000) and batches drawn from it with
replacement; an MLP 3×128 with softplus on [x, log σ] ('concat'), s = f/σ; DSM with one level per
example, λ(σ) = σ², loss ½·λ·‖s + z/σ‖² averaged over the batch; Adam (β 0.9, 0.999, ε 1e-7 as
tfjs); a geometric schedule of 10 levels from 10; annealed Langevin, 'half' convention
(x ← x + α/2·s + √α·z, α_i = ε·σ_i²/σ_L²), 100 steps per level, 1000 chains from the data's
bounding box padded by 10% per side, then the Tweedie step x + σ_L²·s(x, σ_L). Only --init
differs from PyTorch's own nn.Linear: 'pytorch' keeps its kaiming_uniform(a=√5), i.e. weights and
biases U(±1/√fan_in); 'glorot' is Glorot-uniform weights with zero biases (Scorebench before).
"""

import argparse
import json
import math

import torch
import torch.nn.functional as F

MEANS = torch.tensor([[-5.0, -5.0], [5.0, 5.0], [5.0, -5.0]])
STDS = torch.tensor([1.0, 1.0, 0.1])
WEIGHTS = torch.tensor([0.45, 0.45, 0.1])
NARROW = 2
# A sample is off the support when it is farther than this many of each component's std from
# every component's mean (the Mahalanobis distance of an isotropic component).
OFF_SUPPORT_STDS = 4.0


def sample_mixture(n, gen):
    k = torch.multinomial(WEIGHTS, n, replacement=True, generator=gen)
    return MEANS[k] + STDS[k].unsqueeze(1) * torch.randn(n, 2, generator=gen)


def mixture_score(x, sigma):
    """∇log p_σ(x) of the mixture convolved with N(0, σ²I): Σ_k r_k(x)·(μ_k − x)/(σ_k² + σ²)."""
    var = STDS.square().unsqueeze(0) + sigma.square()  # [n, K]
    diff = MEANS.unsqueeze(0) - x.unsqueeze(1)  # [n, K, 2]
    logits = torch.log(WEIGHTS) - torch.log(var) - diff.square().sum(2) / (2 * var)
    r = torch.softmax(logits, 1)
    return (r.unsqueeze(2) * diff / var.unsqueeze(2)).sum(1)


class ScoreMlp(torch.nn.Module):
    def __init__(self, hidden, init, gen):
        super().__init__()
        widths = [3, *hidden, 2]
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        with torch.no_grad():
            for layer in self.layers:
                fan_out, fan_in = layer.weight.shape
                if init == "glorot":
                    limit = math.sqrt(6 / (fan_in + fan_out))
                    layer.weight.uniform_(-limit, limit, generator=gen)
                    layer.bias.zero_()
                else:  # nn.Linear.reset_parameters, drawn from the seeded generator
                    bound = 1 / math.sqrt(fan_in)
                    layer.weight.uniform_(-bound, bound, generator=gen)
                    layer.bias.uniform_(-bound, bound, generator=gen)

    def forward(self, x, sigma):
        h = torch.cat([x, torch.log(sigma).expand(x.shape[0], 1)], 1)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i + 1 < len(self.layers):
                h = F.softplus(h)
        return h / sigma


def run(seed, args):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    data = sample_mixture(5000, gen)
    sigmas = torch.tensor([10.0 * (args.sigma_min / 10.0) ** (i / 9) for i in range(10)])
    net = ScoreMlp([128, 128, 128], args.init, gen)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, eps=1e-7)
    for step in range(1, args.steps + 1):
        if args.lr_schedule == "cosine":
            for group in opt.param_groups:
                group["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * (step - 1) / args.steps))
        x = data[torch.randint(0, data.shape[0], (args.batch,), generator=gen)]
        sigma = sigmas[torch.randint(0, 10, (args.batch,), generator=gen)].unsqueeze(1)
        z = torch.randn(x.shape, generator=gen)
        loss = (0.5 * sigma.squeeze(1).square() * (net(x + sigma * z, sigma) + z / sigma).square().sum(1)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    with torch.no_grad():
        fisher = []
        for s in sigmas.tolist():
            xt = sample_mixture(2000, gen) + s * torch.randn(2000, 2, generator=gen)
            sig = torch.full((2000, 1), s)
            fisher.append(0.5 * (net(xt, sig) - mixture_score(xt, sig)).square().sum(1).mean().item())
        lo, hi = data.min(0).values, data.max(0).values
        lo, hi = lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)
        x = lo + (hi - lo) * torch.rand(1000, 2, generator=gen)
        for s in sigmas.tolist():
            alpha = args.eps * s**2 / sigmas[-1].item() ** 2
            sig = torch.full((1, 1), s)
            for _ in range(100):
                x = x + alpha / 2 * net(x, sig) + math.sqrt(alpha) * torch.randn(x.shape, generator=gen)
        x = x + sigmas[-1] ** 2 * net(x, torch.full((1, 1), sigmas[-1].item()))

    d = (x.unsqueeze(1) - MEANS.unsqueeze(0)).square().sum(2)  # [n, K]
    finite = torch.isfinite(x).all(1)
    logits = torch.log(WEIGHTS) - 2 * torch.log(STDS) - d / (2 * STDS.square())
    nearest = logits.argmax(1)
    shares = [((nearest == k) & finite).float().mean().item() for k in range(3)]
    off = ((d.sqrt() / STDS).min(1).values > OFF_SUPPORT_STDS) | ~finite
    return {
        "seed": seed,
        "shares": [round(s, 3) for s in shares],
        "narrowShare": round(shares[NARROW], 3),
        "offSupport": round(off.float().mean().item(), 4),
        "fisher": [round(f, 4) for f in fisher],
        "sigmas": [round(s, 4) for s in sigmas.tolist()],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--init", choices=["pytorch", "glorot"], default="pytorch")
    parser.add_argument("--lr-schedule", choices=["constant", "cosine"], default="constant")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--sigma-min", type=float, default=0.01)
    parser.add_argument("--eps", type=float, default=2e-5)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for seed in (int(s) for s in args.seeds.split(",")):
        print(json.dumps(run(seed, args)), flush=True)
