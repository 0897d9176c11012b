"""nbgrader's CheckCellMetadata with its JSON schema checked once per process, not once per cell.

nbgrader validates every cell's nbgrader metadata with ``jsonschema.validate``, which first checks
the *schema* against its meta-schema, on every call: twice per graded notebook, once per cell,
about a fifth of what grading a notebook costs once no kernel is started. Here the same checks
run with a validator made once: the same schema, the same errors (``best_match`` of the same
iteration), the same messages; nbgrader's own checks of versions, grade ids and points are its own
code, reached through the method resolution order (:class:`CourseMetadataValidator`).
"""

from __future__ import annotations

from nbgrader.nbgraderformat.common import BaseMetadataValidator, ValidationError
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata

_VALIDATORS: dict[int, object] = {}  # schema version -> a validator for nbgrader's schema


def _schema_validator(version: int, schema: dict):
    if version not in _VALIDATORS:
        import jsonschema

        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATORS[version] = cls(schema)
    return _VALIDATORS[version]


class _CompiledSchema(BaseMetadataValidator):
    """nbgrader's base check of one cell, with the schema validator made once."""

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader") if "nbgrader" in cell.metadata else None
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            return super().validate_cell(cell)  # nothing to check, or nbgrader's own version errors
        from jsonschema.exceptions import best_match

        validator = _schema_validator(self.schema_version, self.schema)
        error = best_match(validator.iter_errors(meta))
        if error is not None:
            raise error


class CourseMetadataValidator(MetadataValidatorV3, _CompiledSchema):
    """nbgrader's v3 validator; its call to the base check reaches :class:`_CompiledSchema`."""


class FastCheckCellMetadata(CheckCellMetadata):
    """:class:`nbgrader.preprocessors.CheckCellMetadata` with :class:`CourseMetadataValidator`."""

    def preprocess(self, nb, resources):
        import traceback

        try:
            CourseMetadataValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
