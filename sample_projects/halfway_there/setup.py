from setuptools import find_packages, setup

setup(
    name="recsys",
    version="0.4.2",
    description="Implicit-feedback recommender for product carousels",
    packages=find_packages(exclude=["tests", "notebooks"]),
    install_requires=[
        "numpy>=1.24",
        "pandas>=2.0",
        "torch>=2.1",
        "pyyaml",
        "fastapi",
    ],
    extras_require={"dev": ["pytest", "mypy"]},
)
