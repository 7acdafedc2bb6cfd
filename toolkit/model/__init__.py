"""Stage 3: the intermediate model every later stage reads (generate, mock, diff, contract)."""

from toolkit.model.api import ApiModel, BodyModel, OperationModel, ParamModel, ResponseModel
from toolkit.model.build import build_api

__all__ = ["ApiModel", "BodyModel", "OperationModel", "ParamModel", "ResponseModel", "build_api"]
