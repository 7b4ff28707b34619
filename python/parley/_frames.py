"""DataFrames from the extension's column arrays (one copy made in C++, no Python object per
row) and from the command's JSON summaries. Column names are those of the CSV output."""

import pandas as _pd


def _frame(result):
    columns = dict(zip(result["names"], result["columns"]))
    columns["outcome"] = _pd.Categorical.from_codes(result["outcome_codes"],
                                                    categories=list(result["outcomes"]))
    return _pd.DataFrame(columns, copy=False)


def sweep_frame(result):
    """index, the varied parameters, the values, outcome."""
    df = _frame(result)
    df.attrs["total"] = result["total"]
    return df


def samples_frame(result):
    """sample, the values, the drawn parameters, outcome."""
    return _frame(result)


def thresholds_frame(doc):
    """parameter, value, lo, hi, below, above (one row per switch)."""
    cols = ["parameter", "value", "lo", "hi", "below", "above"]
    df = _pd.DataFrame([{c: t[c] for c in cols} for t in doc["thresholds"]], columns=cols)
    df.attrs["axis"] = doc["axis"]
    df.attrs["interrupted"] = doc["interrupted"]
    return df


def shares_frame(summary):
    """outcome, count, probability, ci_low, ci_high (most frequent first)."""
    rows = [{"outcome": s["outcome"], "count": s["count"], "probability": s["probability"],
             "ci_low": s["ci95"][0], "ci_high": s["ci95"][1]} for s in summary["outcomes"]]
    return _pd.DataFrame(rows, columns=["outcome", "count", "probability", "ci_low", "ci_high"])


def stats_frame(summary):
    """One row per value: count, mean, sd, min, q05, q25, median, q75, q95, max."""
    cols = ["count", "mean", "sd", "min", "q05", "q25", "median", "q75", "q95", "max"]
    values = summary["values"]
    names = [n for n in summary["value_names"] if n in values]  # the columns' order
    # The JSON's nulls (sd of a single sample) are NaN: every column but count is a float
    # column, whatever the sample size, not one of Python objects.
    frame = _pd.DataFrame([[values[n][c] for c in cols] for n in names], index=names,
                          columns=cols)
    return frame.astype({c: float for c in cols if c != "count"})


def qre_frame(doc):
    """lambda, player, set, set_label, action, probability: one row per action of each
    personal set at each lambda (the CSV of ``parley qre``)."""
    cols = ["lambda", "player", "set", "set_label", "action", "probability"]
    rows = [(point["lambda"], h["player"], h["number"], h["label"], a["label"], a["probability"])
            for point in doc["points"] for h in point["profile"] for a in h["actions"]]
    return _pd.DataFrame(rows, columns=cols)
