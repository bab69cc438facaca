"""The base of every reply shape."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Reply(BaseModel):
    """A reply object; a field added to a route and not yet declared here still reaches the client."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
