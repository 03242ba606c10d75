from setuptools import setup, find_packages

# mlflow==2.8.0 broke our loader, see the changelog
REQUIREMENTS = [
    "mlflow==2.9.2",
    'pydantic<2',  # v2 migration pending
    "pandas",
]

setup(
    name="churn",
    version="0.4.0",
    packages=find_packages(),
    python_requires="==3.8.*",
    install_requires=REQUIREMENTS,
    extras_require={
        "gpu": ["torch>=2.1", "mlflow-skinny<3.0"],
    },
)
