"""Training entry point for the recommenders."""
import argparse
import logging
from pathlib import Path

import numpy as np
import torch
from torch.utils.tensorboard import SummaryWriter
from tqdm import tqdm

from recsys import config
from recsys.data import prepare, sample_negatives
from recsys.evaluate import evaluate
from recsys.factory import build_model
from recsys.model import MFRecommender, bpr_loss
from recsys.utils import get_device, set_seed, timer

logger = logging.getLogger(__name__)


def train_mf(rec: MFRecommender, data, cfg: dict, device) -> dict:
    """BPR training with early stopping on validation recall."""
    train_cfg = cfg.get("train", {})
    epochs = train_cfg.get("epochs", config.EPOCHS)
    batch_size = train_cfg.get("batch_size", config.BATCH_SIZE)
    lr = train_cfg.get("lr", config.LR)
    opt = torch.optim.Adam(rec.net.parameters(), lr=lr, weight_decay=1e-5)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    positives = (data.train["user_idx"].to_numpy(), data.train["item_idx"].to_numpy())
    best_recall, bad_epochs, history = -1.0, 0, []
    writer = SummaryWriter(log_dir=cfg.get("log_dir", "runs/mf"))
    for epoch in range(epochs):
        rec.net.train()
        if epoch == 0 and cfg.get("warmup_lr"):
            for group in opt.param_groups:
                group["lr"] = cfg["warmup_lr"]
        elif epoch == 1 and cfg.get("warmup_lr"):
            for group in opt.param_groups:
                group["lr"] = lr
        triples = sample_negatives(positives, data.n_items, train_cfg.get("num_negatives", config.NUM_NEGATIVES))
        total = 0.0
        for start in tqdm(range(0, len(triples), batch_size), disable=not cfg.get("progress", False)):
            batch = torch.as_tensor(triples[start:start + batch_size], device=device)
            pos, neg = rec.net(batch[:, 0], batch[:, 1], batch[:, 2])
            loss = bpr_loss(pos, neg)
            if torch.isnan(loss):
                logger.warning("nan loss at epoch %d, skipping batch", epoch)
                continue
            opt.zero_grad()
            loss.backward()
            if cfg.get("clip_grad"):
                torch.nn.utils.clip_grad_norm_(rec.net.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(batch)
        scheduler.step()
        metrics = evaluate(rec, data, ks=[20]) if epoch % 2 == 0 or epoch == epochs - 1 else {}
        history.append({"epoch": epoch, "loss": total / max(len(triples), 1), **metrics})
        writer.add_scalar("train/loss", history[-1]["loss"], epoch)
        logger.info(f"epoch {epoch} loss={total / max(len(triples), 1):.4f} {metrics}")
        if not metrics:
            continue
        if metrics["recall@20"] > best_recall + 1e-4:
            best_recall, bad_epochs = metrics["recall@20"], 0
            if cfg.get("artifacts_dir"):
                rec.save(Path(cfg["artifacts_dir"]) / "mf_best.pt")
        else:
            bad_epochs += 1
            if bad_epochs >= 3:
                logger.info("early stopping after %d epochs", epoch + 1)
                break
    return {"best_recall@20": best_recall, "history": history}


def run(cfg: dict) -> dict:
    set_seed(cfg["seed"])
    device = get_device()
    data = prepare(cfg)
    data.train["user_idx"] = data.train["user_id"].map(data.user_index)
    data.train["item_idx"] = data.train["item_id"].map(data.item_index)
    rec = build_model(cfg["model"]["name"], cfg, device=device)
    with timer("fit"):
        rec.fit(data.train, data.n_users, data.n_items)
        if isinstance(rec, MFRecommender):
            result = train_mf(rec, data, cfg, device)
        else:
            result = evaluate(rec, data, ks=cfg["eval"]["k"])
    print("final:", result)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train a recommender")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--set", nargs="*", default=[], help="section.key=value overrides")
    args = parser.parse_args(argv)
    cfg = config.merge_overrides(config.load_config(args.config), args.set)
    Path(cfg["artifacts_dir"]).mkdir(parents=True, exist_ok=True)
    np.set_printoptions(precision=4)
    run(cfg)


if __name__ == "__main__":
    main()
