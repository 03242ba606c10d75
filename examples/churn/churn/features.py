"""Feature loading; never touches MLflow."""
import pandas as pd


def load_features(path: str) -> pd.DataFrame:
    df = pd.read_parquet(path)
    df["tenure_years"] = df["tenure_months"] / 12
    return df
