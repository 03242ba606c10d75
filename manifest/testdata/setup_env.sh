#!/usr/bin/env bash
set -euo pipefail
# echo "pip install mlflow==2.9.2" would not install anything
python3 -m venv .venv && . .venv/bin/activate
pip install --upgrade pip
pip install 'mlflow~=2.9' pydantic==1.10.13 2>&1 | tee pip.log
echo "pip install mlflow==2.9.2"
