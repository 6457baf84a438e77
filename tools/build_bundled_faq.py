"""Rebuild the bundled ``faq/data/faq.yaml`` from the curated spreadsheet, reproducibly.

Usage: ``python tools/build_bundled_faq.py [tests/data/faq-sample.csv] [faq/data/faq.yaml]``

The CSV has no place for category labels, so they live here. The result is validated before it
is written and read back afterwards, so a broken bundled FAQ can never be produced.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faq.csvio import read_csv  # noqa: E402
from faq.errors import FaqLoadError  # noqa: E402
from faq.loader import load_faq  # noqa: E402
from faq.model import Faq  # noqa: E402
from faq.validate import validate  # noqa: E402
from faq.yamlio import write_yaml  # noqa: E402

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "migrants": {"es": "Migrantes", "en": "Migrants"},
    "enrollment": {"es": "Afiliación", "en": "Enrollment"},
    "documents": {"es": "Documentos y trámites", "en": "Documents and procedures"},
    "payments": {"es": "Pagos y cuotas", "en": "Payments and contributions"},
    "pensions": {"es": "Pensiones", "en": "Pensions"},
    "health-services": {"es": "Servicios de salud", "en": "Health services"},
    "cancer-care": {"es": "Atención del cáncer", "en": "Cancer care"},
    "imss": {"es": "IMSS (México)", "en": "IMSS (Mexico)"},
    "contact": {"es": "Contacto", "en": "Contact"},
}


def build(csv_path: Path, yaml_path: Path) -> Faq:
    """Read the CSV, attach labels in first-appearance order, validate, write, verify."""
    faq = read_csv(csv_path)
    missing = [s for s in faq.category_slugs() if s not in CATEGORY_LABELS]
    if missing:
        raise SystemExit(f"add labels for categories {missing} to CATEGORY_LABELS in {__file__}")
    labels = {s: CATEGORY_LABELS[s] for s in faq.category_slugs()}
    faq = Faq(entries=faq.entries, path=str(yaml_path), categories=labels)
    problems = validate(faq)
    if problems:
        raise FaqLoadError(problems)
    write_yaml(faq, yaml_path)
    return load_faq(yaml_path)


def main(argv: list[str]) -> int:
    csv_path = Path(argv[1]) if len(argv) > 1 else ROOT / "tests" / "data" / "faq-sample.csv"
    yaml_path = Path(argv[2]) if len(argv) > 2 else ROOT / "faq" / "data" / "faq.yaml"
    try:
        faq = build(csv_path, yaml_path)
    except FaqLoadError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {yaml_path} ({len(faq)} entries, {len(faq.categories)} categories)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
